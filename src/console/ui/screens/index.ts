import type { Screen } from '../screen.js';
import { screen as audit } from './audit.js';
import { screen as collections } from './collections.js';
import { screen as dashboard } from './dashboard.js';
import { screen as flows } from './flows.js';
import { screen as home } from './home.js';
import { screen as persons } from './persons.js';
import { screen as projects } from './projects.js';
import { screen as settings } from './settings.js';
import { screen as signIn } from './sign-in.js';
import { screen as validationDetail } from './validation-detail.js';
import { screen as validations } from './validations.js';

// Every screen of the console. The router takes the first whose route matches (fallback screens last); a new
// screen is one import and one entry here.

export const screens: Screen[] = [
  signIn,
  home,
  // console-core
  projects,
  flows,
  collections,
  persons,
  // console-views
  dashboard,
  validations,
  validationDetail,
  settings,
  audit,
];
