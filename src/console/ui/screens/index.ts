import type { Screen } from '../screen.js';
import { screen as home } from './home.js';
import { screen as signIn } from './sign-in.js';

// Every screen of the console. The router takes the first whose route matches (fallback screens last); a new
// screen is one import and one entry here.

export const screens: Screen[] = [signIn, home];
