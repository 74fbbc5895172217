import { Clock } from '../../../../kernel';

/** A clock tests move by hand. */
export class FixedClock extends Clock {
  constructor(private current: Date = new Date('2030-01-01T00:00:00.000Z')) {
    super();
  }

  now(): Date {
    return new Date(this.current.getTime());
  }

  set(date: Date): void {
    this.current = new Date(date.getTime());
  }

  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}
