/**
 * Media types (IANA_media-types, the code set of DV_MULTIMEDIA.media_type and
 * DV_ENCAPSULATED): the openEHR code set plus commonly used registrations of the IANA
 * media type registry. Vendor (`vnd.`), personal (`prs.`) and unregistered (`x-`) trees
 * are accepted as the registry allows them.
 */

const REGISTERED = new Set(
  [
    // openEHR media types code set
    'audio/DVI4', 'audio/G722', 'audio/G723', 'audio/G726-16', 'audio/G726-24', 'audio/G726-32', 'audio/G726-40',
    'audio/G728', 'audio/L8', 'audio/L16', 'audio/LPC', 'audio/G729', 'audio/G729D', 'audio/G729E', 'audio/mpeg',
    'audio/mpeg4-generic', 'audio/L20', 'audio/L24', 'audio/telephone-event',
    'video/BT656', 'video/CelB', 'video/JPEG', 'video/H261', 'video/H263', 'video/H263-1998', 'video/H263-2000',
    'video/MPV', 'video/quicktime',
    'text/calendar', 'text/directory', 'text/html', 'text/plain', 'text/rtf', 'text/sgml', 'text/tab-separated-values',
    'text/uri-list', 'text/xml', 'text/xml-external-parsed-entity',
    'image/cgm', 'image/gif', 'image/png', 'image/tiff', 'image/jpeg',
    'application/msword', 'application/pdf', 'application/rtf', 'application/dicom',
    // further IANA registrations in common clinical use
    'audio/mp4', 'audio/ogg', 'audio/opus', 'audio/aac', 'audio/flac', 'audio/AMR', 'audio/3gpp', 'audio/webm',
    'video/mp4', 'video/mpeg', 'video/ogg', 'video/webm', 'video/H264', 'video/H265', 'video/3gpp', 'video/mj2',
    'image/bmp', 'image/svg+xml', 'image/webp', 'image/jp2', 'image/heic', 'image/heif', 'image/dicom-rle', 'image/jls',
    'text/csv', 'text/markdown', 'text/css', 'text/javascript', 'text/richtext', 'text/enriched',
    'application/json', 'application/xml', 'application/zip', 'application/gzip', 'application/octet-stream',
    'application/fhir+json', 'application/fhir+xml', 'application/hl7v2+xml', 'application/dicom+json', 'application/dicom+xml',
    'application/xhtml+xml', 'application/ld+json', 'application/pkcs7-mime', 'application/postscript', 'application/sql',
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    'model/stl', 'model/obj', 'model/gltf+json', 'model/gltf-binary',
    'multipart/mixed', 'multipart/related', 'multipart/alternative',
    'message/rfc822',
  ].map((t) => t.toLowerCase()),
);

const SYNTAX = /^(application|audio|font|image|message|model|multipart|text|video)\/([A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126})$/;

/** Whether a media type is registered (or in a tree the registry leaves open). */
export function isKnownMediaType(value: string): boolean {
  const match = SYNTAX.exec(value);
  if (!match) {
    return false;
  }
  const subtype = match[2]!.toLowerCase();
  if (subtype.startsWith('vnd.') || subtype.startsWith('prs.') || subtype.startsWith('x-') || subtype.startsWith('x.')) {
    return true;
  }
  return REGISTERED.has(value.toLowerCase());
}
