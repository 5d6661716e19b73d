/** Entry of `GET /docs` (web/docs.html): the API reference. */
import { mount } from '../lib/mount.tsx';
import { DocsPage } from '../pages/docs/DocsPage.tsx';
import '../styles/docs.css';

mount(<DocsPage />);
