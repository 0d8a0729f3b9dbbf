// Original file: proto/entente/federation/v1/federation.proto


export interface TaskRef {
  'task_id'?: (string);
}

export interface TaskRef__Output {
  'task_id': (string);
}
