/**
 * Class and interface IDs of `Imnxport.idl`, as Wine's `include/imnxport.idl` defines them.
 * Microsoft's reference pages give no GUID values.
 *
 * @module
 */

/**
 * COM GUID (CLSID or IID) in registry form without braces, uppercase:
 * "FD853CE6-7F86-11D0-8252-00C04FD85AB4". Compare with {@link IsEqualGUID}, which also accepts
 * lowercase and braced forms.
 */
export type GUID = string;

/**
 * Tests whether two GUIDs are equal, ignoring case and the surrounding braces of the registry
 * form ("{FD853CE6-...}").
 */
export function IsEqualGUID(a: GUID, b: GUID): boolean {
  return normalizeGuid(a) === normalizeGuid(b);
}

function normalizeGuid(guid: GUID): string {
  return guid.replace(/^\{/, "").replace(/\}$/, "").toUpperCase();
}

/** IUnknown, the base of every COM interface. */
export const IID_IUnknown: GUID = "00000000-0000-0000-C000-000000000046";

// Class IDs. Only CLSID_ISMTPTransport matters for SMTP; the others are listed for completeness.
// NOTE: no CLSID_ISMTPTransport2 is exported. Wine's class factory serves the SMTP object under
// that name, but no public source gives its value, so this package does not invent one.

/** SMTP transport object, implementing ISMTPTransport and ISMTPTransport2. */
export const CLSID_ISMTPTransport: GUID = "FD853CE6-7F86-11D0-8252-00C04FD85AB4";
/** POP3 transport object. */
export const CLSID_IPOP3Transport: GUID = "FD853CE7-7F86-11D0-8252-00C04FD85AB4";
/** NNTP transport object. */
export const CLSID_INNTPTransport: GUID = "FD853CE8-7F86-11D0-8252-00C04FD85AB4";
/** RAS (dial-up) transport object. */
export const CLSID_IRASTransport: GUID = "FD853CE9-7F86-11D0-8252-00C04FD85AB4";
/** Range list object. */
export const CLSID_IRangeList: GUID = "FD853CEA-7F86-11D0-8252-00C04FD85AB4";
/** IMAP transport object. */
export const CLSID_IIMAPTransport: GUID = "FD853CEB-7F86-11D0-8252-00C04FD85AB4";
/** Internet message URL object. */
export const CLSID_IInternetMessageUrl: GUID = "CA30CC91-B1B3-11D0-85D0-00C04FD85AB4";
/** HTTPMail (Hotmail WebDAV) transport object. */
export const CLSID_IHTTPMailTransport: GUID = "5A580C11-E5EB-11D1-A86E-0000F8084F96";

// Interface IDs.

/** ITransportCallbackService, an optional extra interface on the client's callback object. */
export const IID_ITransportCallbackService: GUID = "CA30F3FF-C9AC-11D1-9A3A-00C04FA309D4";
/** ITransportCallback, the protocol-independent callback interface. */
export const IID_ITransportCallback: GUID = "0DF2C7E1-3435-11D0-81D0-00C04FD85AB4";
/** IInternetTransport, the protocol-independent transport interface. */
export const IID_IInternetTransport: GUID = "1F636C01-364E-11D0-81D3-00C04FD85AB4";
/** ISMTPCallback, the client's SMTP callback interface. */
export const IID_ISMTPCallback: GUID = "1F636C02-364E-11D0-81D3-00C04FD85AB4";
/** ISMTPTransport, the SMTP transport interface. */
export const IID_ISMTPTransport: GUID = "0DF2C7E2-3435-11D0-81D0-00C04FD85AB4";
/** ISMTPTransport2, the SMTP transport interface with DSN support. */
export const IID_ISMTPTransport2: GUID = "0DF2C7EC-3435-11D0-81D0-00C04FD85AB4";
