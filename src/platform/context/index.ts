export * from './correlation';
export * from './job-context';
