/**
 * The clinic's diary: the host app's own data, which Threadline knows nothing about. The reminder
 * job reads it every morning and reminds whoever has an appointment that day.
 */
export interface Appointment {
  /** The patient's Threadline user id (the clinic creates the users with their numbers). */
  userId: string;
  name: string;
  phoneNumber: string;
  /** When, as an instant. */
  at: Date;
}

/** The clinic's time zone: the job ticks at 09:00 here, and times are shown in it. */
export const CLINIC_TIME_ZONE = 'Europe/London';

/** Monday 2 March 2026 (GMT in London until 29 March). */
export const APPOINTMENTS: readonly Appointment[] = [
  {
    userId: 'patient-ann',
    name: 'Ann',
    phoneNumber: '+447700900123',
    at: new Date('2026-03-02T15:00:00Z'),
  },
  {
    userId: 'patient-bob',
    name: 'Bob',
    phoneNumber: '+447700900456',
    at: new Date('2026-03-02T11:30:00Z'),
  },
];

/** The appointments on the same London calendar day as `day`. */
export function appointmentsOn(day: Date, diary: readonly Appointment[]): Appointment[] {
  const date = londonDate(day);
  return diary.filter((appointment) => londonDate(appointment.at) === date);
}

/** `15:00`, in the clinic's time zone. */
export function clinicTime(at: Date): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: CLINIC_TIME_ZONE,
    hour: '2-digit',
    minute: '2-digit',
  }).format(at);
}

/** `Mon 2 Mar 09:00`, in the clinic's time zone. */
export function clinicDateTime(at: Date): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: CLINIC_TIME_ZONE,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  })
    .format(at)
    .replace(',', '');
}

function londonDate(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: CLINIC_TIME_ZONE }).format(at);
}
