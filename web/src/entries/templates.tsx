/** Entry of `/{cenv}/editor/templates` (web/templates.html): page templates with a live preview, with Monaco. */
import { mount } from '../lib/mount.tsx';
import { TemplatesPage } from '../pages/templates/TemplatesPage.tsx';
import '../styles/admin.css';
import '../styles/editor-pages.css';

mount(<TemplatesPage />);
