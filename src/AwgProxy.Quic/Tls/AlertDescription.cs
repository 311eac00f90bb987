namespace AwgProxy.Quic.Tls;

/// <summary>
/// RFC 8446 section 6, Alert Protocol:
/// <code>
/// enum {
///     close_notify(0), unexpected_message(10), bad_record_mac(20), record_overflow(22),
///     handshake_failure(40), bad_certificate(42), unsupported_certificate(43),
///     certificate_revoked(44), certificate_expired(45), certificate_unknown(46),
///     illegal_parameter(47), unknown_ca(48), access_denied(49), decode_error(50),
///     decrypt_error(51), protocol_version(70), insufficient_security(71), internal_error(80),
///     inappropriate_fallback(86), user_canceled(90), missing_extension(109),
///     unsupported_extension(110), unrecognized_name(112), bad_certificate_status_response(113),
///     unknown_psk_identity(115), certificate_required(116), no_application_protocol(120),
///     (255)
/// } AlertDescription;
/// </code>
/// QUIC never sends alerts as records: a fatal alert becomes the QUIC error CRYPTO_ERROR
/// (0x0100 + description, RFC 9001 section 4.8).
/// </summary>
public enum AlertDescription : byte
{
    CloseNotify = 0,
    UnexpectedMessage = 10,
    BadRecordMac = 20,
    RecordOverflow = 22,
    HandshakeFailure = 40,
    BadCertificate = 42,
    UnsupportedCertificate = 43,
    CertificateRevoked = 44,
    CertificateExpired = 45,
    CertificateUnknown = 46,
    IllegalParameter = 47,
    UnknownCa = 48,
    AccessDenied = 49,
    DecodeError = 50,
    DecryptError = 51,
    ProtocolVersion = 70,
    InsufficientSecurity = 71,
    InternalError = 80,
    InappropriateFallback = 86,
    UserCanceled = 90,
    MissingExtension = 109,
    UnsupportedExtension = 110,
    UnrecognizedName = 112,
    BadCertificateStatusResponse = 113,
    UnknownPskIdentity = 115,
    CertificateRequired = 116,
    NoApplicationProtocol = 120,
}
