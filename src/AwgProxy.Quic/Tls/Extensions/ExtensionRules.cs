namespace AwgProxy.Quic.Tls.Extensions;

/// <summary>The handshake messages an extension may appear in (RFC 8446 section 4.2, "TLS 1.3" column).</summary>
[Flags]
internal enum ExtensionContext
{
    None = 0,

    /// <summary>CH: ClientHello.</summary>
    ClientHello = 1,

    /// <summary>SH: ServerHello.</summary>
    ServerHello = 2,

    /// <summary>HRR: HelloRetryRequest.</summary>
    HelloRetryRequest = 4,

    /// <summary>EE: EncryptedExtensions.</summary>
    EncryptedExtensions = 8,

    /// <summary>CR: CertificateRequest.</summary>
    CertificateRequest = 16,

    /// <summary>CT: Certificate (per CertificateEntry).</summary>
    Certificate = 32,

    /// <summary>NST: NewSessionTicket.</summary>
    NewSessionTicket = 64,
}

/// <summary>
/// The one table of which extension may appear in which message, RFC 8446 section 4.2:
/// <code>
/// +--------------------------------------------------+-------------+
/// | Extension                                        |     TLS 1.3 |
/// +--------------------------------------------------+-------------+
/// | server_name [RFC6066]                            |      CH, EE |
/// | max_fragment_length [RFC6066]                    |      CH, EE |
/// | status_request [RFC6066]                         |  CH, CR, CT |
/// | supported_groups [RFC7919]                       |      CH, EE |
/// | signature_algorithms (RFC 8446)                  |      CH, CR |
/// | use_srtp [RFC5764]                               |      CH, EE |
/// | heartbeat [RFC6520]                              |      CH, EE |
/// | application_layer_protocol_negotiation [RFC7301] |      CH, EE |
/// | signed_certificate_timestamp [RFC6962]           |  CH, CR, CT |
/// | client_certificate_type [RFC7250]                |      CH, EE |
/// | server_certificate_type [RFC7250]                |      CH, EE |
/// | padding [RFC7685]                                |          CH |
/// | key_share (RFC 8446)                             | CH, SH, HRR |
/// | pre_shared_key (RFC 8446)                        |      CH, SH |
/// | psk_key_exchange_modes (RFC 8446)                |          CH |
/// | early_data (RFC 8446)                            | CH, EE, NST |
/// | cookie (RFC 8446)                                |     CH, HRR |
/// | supported_versions (RFC 8446)                    | CH, SH, HRR |
/// | certificate_authorities (RFC 8446)               |      CH, CR |
/// | oid_filters (RFC 8446)                           |          CR |
/// | post_handshake_auth (RFC 8446)                   |          CH |
/// | signature_algorithms_cert (RFC 8446)             |      CH, CR |
/// +--------------------------------------------------+-------------+
/// </code>
/// plus record_size_limit (RFC 8449: CH, EE) and quic_transport_parameters (RFC 9001 section 8.2: CH, EE).
/// <para>
/// How the sessions use it: an extension the table knows that is not allowed in the message it came
/// in is illegal_parameter. In a response (ServerHello, HelloRetryRequest, EncryptedExtensions,
/// CertificateEntry) an extension that was never requested is unsupported_extension, except cookie
/// in a HelloRetryRequest. Unknown extensions in a ClientHello, CertificateRequest or NewSessionTicket
/// are ignored (RFC 8446 sections 4.1.2, 4.3.2, 4.6.1).
/// </para>
/// </summary>
internal static class ExtensionRules
{
    private const ExtensionContext CH = ExtensionContext.ClientHello;
    private const ExtensionContext SH = ExtensionContext.ServerHello;
    private const ExtensionContext HRR = ExtensionContext.HelloRetryRequest;
    private const ExtensionContext EE = ExtensionContext.EncryptedExtensions;
    private const ExtensionContext CR = ExtensionContext.CertificateRequest;
    private const ExtensionContext CT = ExtensionContext.Certificate;
    private const ExtensionContext NST = ExtensionContext.NewSessionTicket;

    /// <summary>Where <paramref name="type"/> may appear; <see cref="ExtensionContext.None"/> for a type this table does not know.</summary>
    public static ExtensionContext AllowedIn(ExtensionType type) => type switch
    {
        ExtensionType.ServerName => CH | EE,
        ExtensionType.MaxFragmentLength => CH | EE,
        ExtensionType.StatusRequest => CH | CR | CT,
        ExtensionType.SupportedGroups => CH | EE,
        ExtensionType.SignatureAlgorithms => CH | CR,
        ExtensionType.UseSrtp => CH | EE,
        ExtensionType.Heartbeat => CH | EE,
        ExtensionType.ApplicationLayerProtocolNegotiation => CH | EE,
        ExtensionType.SignedCertificateTimestamp => CH | CR | CT,
        ExtensionType.ClientCertificateType => CH | EE,
        ExtensionType.ServerCertificateType => CH | EE,
        ExtensionType.Padding => CH,
        ExtensionType.RecordSizeLimit => CH | EE,
        ExtensionType.KeyShare => CH | SH | HRR,
        ExtensionType.PreSharedKey => CH | SH,
        ExtensionType.PskKeyExchangeModes => CH,
        ExtensionType.EarlyData => CH | EE | NST,
        ExtensionType.Cookie => CH | HRR,
        ExtensionType.SupportedVersions => CH | SH | HRR,
        ExtensionType.CertificateAuthorities => CH | CR,
        ExtensionType.OidFilters => CR,
        ExtensionType.PostHandshakeAuth => CH,
        ExtensionType.SignatureAlgorithmsCert => CH | CR,
        ExtensionType.QuicTransportParameters => CH | EE,
        _ => ExtensionContext.None,
    };

    /// <summary>Whether the table knows <paramref name="type"/>.</summary>
    public static bool IsKnown(ExtensionType type) => AllowedIn(type) != ExtensionContext.None;

    /// <summary>
    /// Checks a response's extensions against what was requested. Returns null when they are
    /// acceptable, otherwise the alert to send.
    /// </summary>
    /// <param name="received">The extensions of the response.</param>
    /// <param name="context">The message they came in (one flag).</param>
    /// <param name="requested">The extension types this endpoint sent in the request.</param>
    public static AlertDescription? CheckResponse(IReadOnlyList<TlsExtension> received, ExtensionContext context, IReadOnlyCollection<ExtensionType> requested)
    {
        foreach (TlsExtension extension in received)
        {
            bool solicited = requested.Contains(extension.Type)
                || (extension.Type == ExtensionType.Cookie && context == HRR);
            if (!solicited) return AlertDescription.UnsupportedExtension;
            if ((AllowedIn(extension.Type) & context) == 0) return AlertDescription.IllegalParameter;
        }

        return null;
    }

    /// <summary>
    /// Checks a request (ClientHello, CertificateRequest, NewSessionTicket): known extensions must be
    /// allowed in <paramref name="context"/>; unknown ones are ignored. Returns null or the alert.
    /// </summary>
    public static AlertDescription? CheckRequest(IReadOnlyList<TlsExtension> received, ExtensionContext context)
    {
        foreach (TlsExtension extension in received)
        {
            ExtensionContext allowed = AllowedIn(extension.Type);
            if (allowed != ExtensionContext.None && (allowed & context) == 0) return AlertDescription.IllegalParameter;
        }

        return null;
    }
}
