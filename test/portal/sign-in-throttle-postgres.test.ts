/** Sign-in throttling on PostgreSQL (the suite: sign-in-throttle-suite.ts). */
import { describeSignInThrottle } from './sign-in-throttle-suite.js';

describeSignInThrottle('postgres');
