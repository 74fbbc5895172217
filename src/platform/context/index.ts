export * from './correlation';
export * from './job-context';
export * from './request-context';
