/**
 * Every user-facing string, as `react-intl` descriptors with explicit ids (no id-generating build step) and English defaults: `AppI18nProvider`
 * (@canva/app-i18n-kit) swaps in Canva's translations once the app is translated. Canva's lint rule formatjs/no-id is off
 * for this file only, for that reason (canva-app/canva.eslint.config.mjs).
 */
import { defineMessages } from 'react-intl';

export const strings = defineMessages({
  title: { id: 'cutout.title', defaultMessage: 'Remove the background of the selected image, on your device: no image leaves your computer.', description: 'Intro text at the top of the panel' },
  selectImage: { id: 'cutout.selectImage', defaultMessage: 'Select an image in your design to remove its background.', description: 'Shown when no image is selected' },
  selectedCount: { id: 'cutout.selectedCount', defaultMessage: '{count, plural, one {# image selected} other {# images selected}}', description: 'How many images are selected' },
  remove: { id: 'cutout.remove', defaultMessage: 'Remove background', description: 'Primary button: remove the background of the selected images' },
  modeLabel: { id: 'cutout.modeLabel', defaultMessage: 'Result', description: 'Label of the replace / add choice' },
  modeReplace: { id: 'cutout.modeReplace', defaultMessage: 'Replace image', description: 'Option: replace the selected image in place (default)' },
  modeAdd: { id: 'cutout.modeAdd', defaultMessage: 'Add as new image', description: 'Option: add the cut-out as a new image' },
  preparing: { id: 'cutout.preparing', defaultMessage: 'Working: the page may pause while the model runs…', description: 'Shown before the model blocks the page' },
  download: { id: 'cutout.download', defaultMessage: 'Downloading the model once: {loaded} of {total} MB', description: 'Model download progress' },
  inference: { id: 'cutout.inference', defaultMessage: 'Removing the background ({index} of {total})…', description: 'While the model runs' },
  uploading: { id: 'cutout.uploading', defaultMessage: 'Saving to Canva…', description: 'While the cut-out is uploaded' },
  cancel: { id: 'cutout.cancel', defaultMessage: 'Cancel', description: 'Cancel the running removal' },
  done: { id: 'cutout.done', defaultMessage: '{count, plural, one {Background removed from # image} other {Background removed from # images}}', description: 'Toast after success' },
  skipped: { id: 'cutout.skipped', defaultMessage: '{count, plural, one {# image was skipped} other {# images were skipped}}: {reasons}', description: 'Some images could not be processed' },
  nothingChanged: { id: 'cutout.nothingChanged', defaultMessage: 'Nothing was changed: {reasons}', description: 'No image could be processed' },
  downscaled: { id: 'cutout.downscaled', defaultMessage: 'The cut-out was too large for Canva and was saved at {width} × {height} pixels.', description: 'Warning: the result was made smaller' },
  refine: { id: 'cutout.refine', defaultMessage: 'Refine edges', description: 'Button: open the brush on the selected image' },
  refineHelp: { id: 'cutout.refineHelp', defaultMessage: 'Paint on the image: Keep brings back parts of the subject, Remove takes away background.', description: 'Brush help' },
  brushMode: { id: 'cutout.brushMode', defaultMessage: 'Brush', description: 'Label of keep/remove choice' },
  brushKeep: { id: 'cutout.brushKeep', defaultMessage: 'Keep', description: 'Brush mode: keep' },
  brushRemove: { id: 'cutout.brushRemove', defaultMessage: 'Remove', description: 'Brush mode: remove' },
  brushSize: { id: 'cutout.brushSize', defaultMessage: 'Brush size', description: 'Label of the brush size slider' },
  save: { id: 'cutout.save', defaultMessage: 'Save', description: 'Save the refined cut-out' },
  discard: { id: 'cutout.discard', defaultMessage: 'Discard', description: 'Close the brush without saving' },
  overlayLoading: { id: 'cutout.overlayLoading', defaultMessage: 'Preparing the brush…', description: 'Overlay loading' },
  cutoutName: { id: 'cutout.cutoutName', defaultMessage: 'Background removed', description: 'Name of the uploaded cut-out' },
  altText: { id: 'cutout.altText', defaultMessage: 'Image with its background removed', description: 'Alt text of an added cut-out' },
  // Skip reasons and errors: what happened, and what the user can do.
  notRaster: { id: 'cutout.notRaster', defaultMessage: 'it is not a picture this app can read', description: 'Skip reason' },
  svg: { id: 'cutout.svg', defaultMessage: 'it is an SVG (a vector graphic has no background pixels to remove)', description: 'Skip reason' },
  animatedGif: { id: 'cutout.animatedGif', defaultMessage: 'it is an animated GIF (the animation would be lost)', description: 'Skip reason' },
  stale: { id: 'cutout.stale', defaultMessage: 'the image changed or was deleted while it was being processed; select it and try again', description: 'Skip reason' },
  rate_limited: { id: 'cutout.rate_limited', defaultMessage: 'Canva is receiving too many requests from this app. Wait a few seconds and try again.', description: 'Error' },
  quota_exceeded: { id: 'cutout.quota_exceeded', defaultMessage: 'Your Canva storage is full. Free some space in your uploads and try again.', description: 'Error' },
  user_offline: { id: 'cutout.user_offline', defaultMessage: 'You are offline. Reconnect and try again.', description: 'Error' },
  permission_denied: { id: 'cutout.permission_denied', defaultMessage: 'This app is not allowed to change this design. Ask its owner for edit access.', description: 'Error' },
  not_allowed: { id: 'cutout.not_allowed', defaultMessage: 'Canva does not allow this change here.', description: 'Error' },
  timeout: { id: 'cutout.timeout', defaultMessage: 'Canva took too long to answer. Try again.', description: 'Error' },
  canvaOther: { id: 'cutout.canvaOther', defaultMessage: 'Canva refused the change ({code}). Try again.', description: 'Error with a code' },
  modelFetch: { id: 'cutout.modelFetch', defaultMessage: 'The model could not be downloaded. Check your connection and try again. ({detail})', description: 'Error' },
  modelIntegrity: { id: 'cutout.modelIntegrity', defaultMessage: 'The downloaded model was damaged. Try again to download it again.', description: 'Error' },
  tooLarge: { id: 'cutout.tooLarge', defaultMessage: 'The image is too large to process.', description: 'Error' },
  outputTooLarge: { id: 'cutout.outputTooLarge', defaultMessage: 'The cut-out is too large to upload to Canva.', description: 'Error' },
  generic: { id: 'cutout.generic', defaultMessage: 'Something went wrong: {detail}', description: 'Fallback error' },
});
