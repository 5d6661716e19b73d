/** Entry of `/{cenv}/console` (web/console.html): the one page so far that loads Monaco. */
import { mount } from '../lib/mount.tsx';
import { ConsolePage } from '../pages/console/ConsolePage.tsx';
import '../styles/admin.css';
import '../styles/console.css';

mount(<ConsolePage />);
