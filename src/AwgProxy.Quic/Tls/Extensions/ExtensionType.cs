namespace AwgProxy.Quic.Tls.Extensions;

/// <summary>
/// RFC 8446 section 4.2, the extension types this stack knows (plus RFC 8449 record_size_limit and
/// RFC 9001 section 8.2 quic_transport_parameters):
/// <code>
/// enum {
///     server_name(0), max_fragment_length(1), status_request(5), supported_groups(10),
///     signature_algorithms(13), use_srtp(14), heartbeat(15),
///     application_layer_protocol_negotiation(16), signed_certificate_timestamp(18),
///     client_certificate_type(19), server_certificate_type(20), padding(21),
///     pre_shared_key(41), early_data(42), supported_versions(43), cookie(44),
///     psk_key_exchange_modes(45), certificate_authorities(47), oid_filters(48),
///     post_handshake_auth(49), signature_algorithms_cert(50), key_share(51),
///     (65535)
/// } ExtensionType;
/// </code>
/// </summary>
internal enum ExtensionType : ushort
{
    ServerName = 0,
    MaxFragmentLength = 1,
    StatusRequest = 5,
    SupportedGroups = 10,
    SignatureAlgorithms = 13,
    UseSrtp = 14,
    Heartbeat = 15,
    ApplicationLayerProtocolNegotiation = 16,
    SignedCertificateTimestamp = 18,
    ClientCertificateType = 19,
    ServerCertificateType = 20,
    Padding = 21,
    RecordSizeLimit = 28,
    PreSharedKey = 41,
    EarlyData = 42,
    SupportedVersions = 43,
    Cookie = 44,
    PskKeyExchangeModes = 45,
    CertificateAuthorities = 47,
    OidFilters = 48,
    PostHandshakeAuth = 49,
    SignatureAlgorithmsCert = 50,
    KeyShare = 51,
    QuicTransportParameters = 0x39,
}
