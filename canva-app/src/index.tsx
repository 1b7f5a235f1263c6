/** @jsxImportSource react */
/**
 * The app's entry (canva-notes §11): the design-editor intent, registered as soon as the script
 * runs; `render()` branches on the surface: the object panel, or the brush overlay on the
 * selected image. The App UI Kit's CSS is inlined by the build (scripts/build-canva.mjs).
 */
import '@canva/app-ui-kit/styles.css';
import { AppI18nProvider } from '@canva/app-i18n-kit';
import { AppUiProvider } from '@canva/app-ui-kit';
import { prepareDesignEditor } from '@canva/intents/design';
import { createRoot, type Root } from 'react-dom/client';
import { currentSurface } from './canva/adapter.js';
import { OverlayView } from './overlay/overlay-view.js';
import { Panel } from './panel/panel.js';
import { detectEnvironment } from './runtime/engine.js';

let root: Root | null = null;

async function render(): Promise<void> {
  const env = await detectEnvironment();
  const element = document.getElementById('root') ?? document.body.appendChild(document.createElement('div'));
  root ??= createRoot(element);
  const surface = currentSurface();
  root.render(
    <AppI18nProvider>
      <AppUiProvider>{surface === 'selected_image_overlay' ? <OverlayView env={env} /> : <Panel env={env} />}</AppUiProvider>
    </AppI18nProvider>,
  );
}

prepareDesignEditor({ render: () => void render() });
