/** Entry of `/{cenv}/editor/scripts` (web/scripts.html): Starlark endpoints and modules, with Monaco. */
import { mount } from '../lib/mount.tsx';
import { ScriptsPage } from '../pages/scripts/ScriptsPage.tsx';
import '../styles/admin.css';
import '../styles/editor-pages.css';

mount(<ScriptsPage />);
