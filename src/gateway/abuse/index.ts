/** Abuse and model-extraction detection (control G9): one import for the server. */
export { abuseSettingsSchema, type AbuseSettings, type AbuseSettingsInput } from './abuse-config.js';
export {
  ABUSE_SIGNALS,
  createAbuseMonitor,
  type AbuseMonitor,
  type AbuseObservation,
  type AbuseRequest,
  type AbuseSignal,
  type AbuseSignalName,
  type AbuseThrottle,
} from './abuse-monitor.js';
export { abuseThrottledError } from './abuse-errors.js';
