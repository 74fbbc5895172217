// The kernel's test doubles, shared by every context's unit tests (never imported by src code).
export { FakeClock } from './fake-clock';
export { FakeUnitOfWork, assertInUnitOfWork } from './fake-unit-of-work';
