export * from './adapter/index';
export { createFakeClock, FAKE_CLOCK_START, type FakeClock } from './fake-clock';
export * from './store/index';
