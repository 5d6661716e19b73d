/** Entry of `GET /` (web/landing.html). */
import { mount } from '../lib/mount.tsx';
import { LandingPage } from '../pages/landing.tsx';
import '../styles/pages.css';

mount(<LandingPage />);
