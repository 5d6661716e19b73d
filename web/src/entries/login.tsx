/** Entry of `GET /{cenv}/login` (web/login.html). */
import { mount } from '../lib/mount.tsx';
import { LoginPage } from '../pages/login.tsx';
import '../styles/pages.css';

mount(<LoginPage />);
