/** Entry of the notice page (web/notice.html): access denied, not found, unavailable. */
import { mount } from '../lib/mount.tsx';
import { NoticePage } from '../pages/notice.tsx';
import '../styles/pages.css';

mount(<NoticePage />);
