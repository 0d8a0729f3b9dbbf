// Original file: proto/entente/control/v1/control.proto


export interface ForeachItem {
  'index'?: (number);
  'value_json'?: (string);
}

export interface ForeachItem__Output {
  'index': (number);
  'value_json': (string);
}
