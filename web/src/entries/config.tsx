/** Entry of `/{cenv}/admin/config` (web/config.html). */
import { mount } from '../lib/mount.tsx';
import { ConfigPage } from '../pages/config/ConfigPage.tsx';
import '../styles/admin.css';

mount(<ConfigPage />);
