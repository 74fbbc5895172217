export * from './aggregate-root';
export * from './clock';
export * from './domain-error';
export * from './domain-event';
export * from './event-schema';
export * from './ids';
export * from './unit-of-work';
export * from './micro-batcher';
