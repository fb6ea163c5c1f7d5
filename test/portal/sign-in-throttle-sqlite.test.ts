/** Sign-in throttling on SQLite (the suite: sign-in-throttle-suite.ts). */
import { describeSignInThrottle } from './sign-in-throttle-suite.js';

describeSignInThrottle('sqlite');
