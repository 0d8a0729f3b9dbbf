// Original file: proto/entente/control/v1/control.proto


export interface LogAlarm {
  'partner'?: (string);
  'at'?: (string);
  'code'?: (string);
  'message'?: (string);
}

export interface LogAlarm__Output {
  'partner': (string);
  'at': (string);
  'code': (string);
  'message': (string);
}
