export { createFakeClock, FAKE_CLOCK_START, type FakeClock } from './fake-clock';
