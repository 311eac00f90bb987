using System.Net.Security;
using System.Security.Cryptography;
using AwgProxy.Quic.Crypto;
using AwgProxy.Quic.Tls.Certificates;
using AwgProxy.Quic.Tls.Extensions;
using AwgProxy.Quic.Tls.Messages;
using AwgProxy.Quic.Tls.Signatures;

namespace AwgProxy.Quic.Tls;

/// <summary>
/// The client side of the handshake (RFC 8446 section 2, figure 1, plus HelloRetryRequest).
/// <para>Events, in order:</para>
/// <code>
/// Start()                         WriteData(Initial, ClientHello)
/// HelloRetryRequest (Initial)     WriteData(Initial, ClientHello2)
/// ServerHello (Initial)           SecretsAvailable(Handshake, Write = client_handshake_traffic_secret)
///                                 SecretsAvailable(Handshake, Read  = server_handshake_traffic_secret)
/// EncryptedExtensions (Handshake) PeerTransportParameters(server's quic_transport_parameters)
/// CertificateRequest, Certificate, CertificateVerify (Handshake): no event
/// Finished (Handshake)            SecretsAvailable(OneRtt, Read  = server_application_traffic_secret_0)
///                                 WriteData(Handshake, [Certificate, CertificateVerify,] Finished)
///                                 SecretsAvailable(OneRtt, Write = client_application_traffic_secret_0)
///                                 HandshakeComplete
/// NewSessionTicket (OneRtt)       no event (checked and ignored; no resumption)
/// </code>
/// After the ServerHello no more Initial data is accepted, after the server Finished no more Handshake
/// data; anything else at 1-RTT than NewSessionTicket is unexpected_message.
/// </summary>
public sealed class TlsClientSession : TlsSession
{
    private readonly string? _serverName;
    private readonly string? _sniHostName;
    private readonly NamedGroup[] _keyShareGroups;
    private readonly TlsServerCertificatePolicy _serverCertificatePolicy;
    private readonly TlsCertificateCredential? _clientCredential;
    private readonly HashSet<ExtensionType> _sentExtensions = [];
    private readonly List<KeyExchange.KeyExchange> _keyShares = [];
    private byte[] _random = [];
    private byte[]? _cookie;
    private CipherSuite? _helloRetrySuite;
    private SignatureScheme[]? _requestedSchemes;
    private byte[] _certificateRequestContext = [];
    private byte[]? _clientHandshakeSecret;
    private byte[]? _serverHandshakeSecret;
    private State _state = State.Idle;

    internal TlsClientSession(TlsClientOptions options, byte[]? transportParametersOverride = null, RandomFill? fallbackRandom = null)
        : base(options, transportParametersOverride, fallbackRandom)
    {
        options.Validate();
        _serverName = options.ServerName;
        _sniHostName = options.SniHostName;
        _keyShareGroups = [.. options.KeyShareGroups];
        _serverCertificatePolicy = options.ServerCertificatePolicy!;
        _clientCredential = options.ClientCredential;
    }

    private enum State
    {
        Idle,
        WaitServerHello,
        WaitEncryptedExtensions,
        WaitCertificateOrCertificateRequest,
        WaitCertificate,
        WaitCertificateVerify,
        WaitFinished,
        Connected,
    }

    public override bool IsServer => false;

    private protected override void OnStart()
    {
        _random = new byte[ClientHello.RandomLength];
        Random(_random);
        foreach (NamedGroup group in _keyShareGroups) _keyShares.Add(KeyExchange.KeyExchange.Create(group, Random));

        var flight = new List<byte[]>();
        Send(BuildClientHello(), flight);
        EmitWrite(EncryptionLevel.Initial, flight);
        _state = State.WaitServerHello;
    }

    private protected override bool HandleMessage(HandshakeType type, ReadOnlySpan<byte> message, ReadOnlySpan<byte> body)
    {
        return (_state, type) switch
        {
            (State.WaitServerHello, HandshakeType.ServerHello) => HandleServerHello(message, body),
            (State.WaitEncryptedExtensions, HandshakeType.EncryptedExtensions) => HandleEncryptedExtensions(message, body),
            (State.WaitCertificateOrCertificateRequest, HandshakeType.CertificateRequest) => HandleCertificateRequest(message, body),
            (State.WaitCertificateOrCertificateRequest or State.WaitCertificate, HandshakeType.Certificate) => HandleCertificate(message, body),
            (State.WaitCertificateVerify, HandshakeType.CertificateVerify) => HandleCertificateVerify(message, body),
            (State.WaitFinished, HandshakeType.Finished) => HandleFinished(message, body),
            (State.Connected, HandshakeType.NewSessionTicket) => HandleNewSessionTicket(body),
            _ => Fail(AlertDescription.UnexpectedMessage, $"unexpected {type} in state {_state}"),
        };
    }

    private ClientHello BuildClientHello()
    {
        var extensions = new List<TlsExtension>();
        string? sni = _sniHostName;
        if (sni is not null) extensions.Add(new TlsExtension(ExtensionType.ServerName, ServerNameExtension.Encode(sni)));
        extensions.Add(new TlsExtension(ExtensionType.SupportedVersions, SupportedVersionsExtension.EncodeClientHello([TlsVersion.Tls13])));
        extensions.Add(new TlsExtension(ExtensionType.SupportedGroups, SupportedGroupsExtension.Encode(GroupList)));
        extensions.Add(new TlsExtension(ExtensionType.SignatureAlgorithms, SignatureAlgorithmsExtension.Encode(SignatureSchemes.Advertised)));
        extensions.Add(new TlsExtension(ExtensionType.KeyShare, KeyShareExtension.EncodeClientHello([.. _keyShares.Select(k => new KeyShareEntry(k.Group, k.PublicKey))])));
        extensions.Add(new TlsExtension(ExtensionType.ApplicationLayerProtocolNegotiation, ApplicationLayerProtocolNegotiationExtension.Encode(ApplicationProtocolList)));
        extensions.Add(new TlsExtension(ExtensionType.QuicTransportParameters, LocalTransportParameters));
        if (_cookie is not null) extensions.Add(new TlsExtension(ExtensionType.Cookie, CookieExtension.Encode(_cookie)));

        foreach (TlsExtension extension in extensions) _sentExtensions.Add(extension.Type);
        return new ClientHello
        {
            Random = _random,
            CipherSuites = CipherSuiteList,
            Extensions = extensions,
        };
    }

    private bool HandleServerHello(ReadOnlySpan<byte> message, ReadOnlySpan<byte> body)
    {
        if (!ServerHello.TryParse(body, out ServerHello? hello)) return Fail(AlertDescription.DecodeError, "malformed ServerHello");
        bool retry = hello!.IsHelloRetryRequest;
        string name = retry ? "HelloRetryRequest" : "ServerHello";

        // RFC 8446 section 4.1.3 / 4.1.4: legacy fields, then the version, then the other extensions.
        if (hello.LegacyVersion != TlsVersion.Tls12) return Fail(AlertDescription.IllegalParameter, $"{name} legacy_version is not 0x0303");
        if (hello.LegacySessionIdEcho.Length != 0) return Fail(AlertDescription.IllegalParameter, $"{name} legacy_session_id_echo does not echo the empty session id");
        if (!CipherSuiteList.Contains(hello.CipherSuite)) return Fail(AlertDescription.IllegalParameter, $"{name} chose cipher suite 0x{(ushort)hello.CipherSuite:x4}, not offered");
        if (hello.LegacyCompressionMethod != 0) return Fail(AlertDescription.IllegalParameter, $"{name} legacy_compression_method is not 0");
        if (hello.HasDuplicateExtensions) return Fail(AlertDescription.IllegalParameter, $"{name} repeats an extension");

        byte[]? versionData = hello.FindExtension(ExtensionType.SupportedVersions);
        if (versionData is null) return Fail(AlertDescription.ProtocolVersion, $"{name} has no supported_versions: the server does not speak TLS 1.3");
        if (!SupportedVersionsExtension.TryParseServerHello(versionData, out ushort version)) return Fail(AlertDescription.DecodeError, "malformed supported_versions");
        if (version != TlsVersion.Tls13) return Fail(AlertDescription.IllegalParameter, $"{name} selected version 0x{version:x4}, not offered");

        ExtensionContext context = retry ? ExtensionContext.HelloRetryRequest : ExtensionContext.ServerHello;
        if (ExtensionRules.CheckResponse(hello.Extensions, context, _sentExtensions) is { } alert)
        {
            return Fail(alert, $"{name} carries an extension that was not requested or is not allowed there");
        }

        return retry ? HandleHelloRetryRequest(hello, message) : HandleRealServerHello(hello, message);
    }

    private bool HandleHelloRetryRequest(ServerHello retry, ReadOnlySpan<byte> message)
    {
        if (HelloRetryRequested) return Fail(AlertDescription.UnexpectedMessage, "second HelloRetryRequest");

        NamedGroup? selectedGroup = null;
        if (retry.FindExtension(ExtensionType.KeyShare) is { } keyShareData)
        {
            if (!KeyShareExtension.TryParseHelloRetryRequest(keyShareData, out NamedGroup group)) return Fail(AlertDescription.DecodeError, "malformed HelloRetryRequest key_share");
            if (!GroupList.Contains(group)) return Fail(AlertDescription.IllegalParameter, $"HelloRetryRequest selected group 0x{(ushort)group:x4}, not offered");
            if (_keyShares.Any(k => k.Group == group)) return Fail(AlertDescription.IllegalParameter, $"HelloRetryRequest selected {group}, for which a share was already sent");
            selectedGroup = group;
        }

        byte[]? cookie = null;
        if (retry.FindExtension(ExtensionType.Cookie) is { } cookieData && !CookieExtension.TryParse(cookieData, out cookie))
        {
            return Fail(AlertDescription.DecodeError, "malformed cookie");
        }

        if (selectedGroup is null && cookie is null) return Fail(AlertDescription.IllegalParameter, "HelloRetryRequest would not change the ClientHello");

        // RFC 8446 section 4.4.1: the transcript restarts with message_hash(ClientHello1).
        _helloRetrySuite = retry.CipherSuite;
        Transcript.SetHashAlgorithm(retry.CipherSuite.HashAlgorithm());
        Transcript.ReplaceWithMessageHash();
        Transcript.Add(message);
        HelloRetryRequested = true;

        if (selectedGroup is { } newGroup)
        {
            foreach (KeyExchange.KeyExchange share in _keyShares) share.Dispose();
            _keyShares.Clear();
            _keyShares.Add(KeyExchange.KeyExchange.Create(newGroup, Random));
        }

        _cookie = cookie;
        _sentExtensions.Clear();
        var flight = new List<byte[]>();
        Send(BuildClientHello(), flight);
        EmitWrite(EncryptionLevel.Initial, flight);
        return true;
    }

    private bool HandleRealServerHello(ServerHello hello, ReadOnlySpan<byte> message)
    {
        if (_helloRetrySuite is { } retrySuite && hello.CipherSuite != retrySuite)
        {
            return Fail(AlertDescription.IllegalParameter, "ServerHello cipher suite differs from the HelloRetryRequest's");
        }

        byte[]? keyShareData = hello.FindExtension(ExtensionType.KeyShare);
        if (keyShareData is null) return Fail(AlertDescription.MissingExtension, "ServerHello has no key_share");
        if (!KeyShareExtension.TryParseServerHello(keyShareData, out KeyShareEntry? serverShare)) return Fail(AlertDescription.DecodeError, "malformed ServerHello key_share");
        KeyExchange.KeyExchange? ours = _keyShares.FirstOrDefault(k => k.Group == serverShare!.Group);
        if (ours is null) return Fail(AlertDescription.IllegalParameter, $"ServerHello key_share group 0x{(ushort)serverShare!.Group:x4} was not offered");
        if (!ours.TryDeriveSharedSecret(serverShare!.KeyExchange, out byte[] sharedSecret)) return Fail(AlertDescription.IllegalParameter, "invalid server key share");

        CipherSuite suite = hello.CipherSuite;
        if (!Transcript.HasHashAlgorithm) Transcript.SetHashAlgorithm(suite.HashAlgorithm());
        Transcript.Add(message);

        KeySchedule = new KeySchedule(suite);
        KeySchedule.DeriveHandshakeSecret(sharedSecret);
        CryptographicOperations.ZeroMemory(sharedSecret);
        (_clientHandshakeSecret, _serverHandshakeSecret) = KeySchedule.DeriveHandshakeTrafficSecrets(Transcript.GetCurrentHash());
        CipherSuite = suite;
        KeyExchangeGroup = ours.Group;
        foreach (KeyExchange.KeyExchange share in _keyShares) share.Dispose();
        _keyShares.Clear();

        Emit(TlsEvent.SecretsAvailable(EncryptionLevel.Handshake, suite, TlsSecretDirection.Write, (byte[])_clientHandshakeSecret.Clone()));
        Emit(TlsEvent.SecretsAvailable(EncryptionLevel.Handshake, suite, TlsSecretDirection.Read, (byte[])_serverHandshakeSecret.Clone()));
        ReadLevel = EncryptionLevel.Handshake;
        _state = State.WaitEncryptedExtensions;
        return true;
    }

    private bool HandleEncryptedExtensions(ReadOnlySpan<byte> message, ReadOnlySpan<byte> body)
    {
        if (!EncryptedExtensions.TryParse(body, out EncryptedExtensions? extensions)) return Fail(AlertDescription.DecodeError, "malformed EncryptedExtensions");
        if (extensions!.HasDuplicateExtensions) return Fail(AlertDescription.IllegalParameter, "EncryptedExtensions repeats an extension");
        if (ExtensionRules.CheckResponse(extensions.Extensions, ExtensionContext.EncryptedExtensions, _sentExtensions) is { } alert)
        {
            return Fail(alert, "EncryptedExtensions carries an extension that was not requested or is not allowed there");
        }

        if (extensions.FindExtension(ExtensionType.ServerName) is { Length: > 0 }) return Fail(AlertDescription.DecodeError, "server_name answer is not empty");

        // The server's groups are informational only (RFC 8446 section 4.2.7); they must still be well formed.
        if (extensions.FindExtension(ExtensionType.SupportedGroups) is { } groupsData && !SupportedGroupsExtension.TryParse(groupsData, out _))
        {
            return Fail(AlertDescription.DecodeError, "malformed supported_groups in EncryptedExtensions");
        }

        byte[]? alpnData = extensions.FindExtension(ExtensionType.ApplicationLayerProtocolNegotiation);
        if (alpnData is null) return Fail(AlertDescription.NoApplicationProtocol, "server negotiated no application protocol");
        if (!ApplicationLayerProtocolNegotiationExtension.TryParse(alpnData, out List<byte[]> selected)) return Fail(AlertDescription.DecodeError, "malformed ALPN answer");
        if (selected.Count != 1) return Fail(AlertDescription.IllegalParameter, "ALPN answer must name exactly one protocol");
        if (!ApplicationProtocolList.Any(p => p.AsSpan().SequenceEqual(selected[0]))) return Fail(AlertDescription.IllegalParameter, "server selected an ALPN protocol that was not offered");

        byte[]? transportParameters = extensions.FindExtension(ExtensionType.QuicTransportParameters);
        if (transportParameters is null) return Fail(AlertDescription.MissingExtension, "EncryptedExtensions has no quic_transport_parameters");

        Transcript.Add(message);
        ApplicationProtocol = new SslApplicationProtocol(selected[0]);
        PeerTransportParameters = transportParameters;
        Emit(TlsEvent.PeerTransportParameters((byte[])transportParameters.Clone()));
        _state = State.WaitCertificateOrCertificateRequest;
        return true;
    }

    private bool HandleCertificateRequest(ReadOnlySpan<byte> message, ReadOnlySpan<byte> body)
    {
        if (!CertificateRequest.TryParse(body, out CertificateRequest? request)) return Fail(AlertDescription.DecodeError, "malformed CertificateRequest");
        if (request!.HasDuplicateExtensions) return Fail(AlertDescription.IllegalParameter, "CertificateRequest repeats an extension");
        if (request.CertificateRequestContext.Length != 0) return Fail(AlertDescription.IllegalParameter, "handshake CertificateRequest has a non-empty context");
        if (ExtensionRules.CheckRequest(request.Extensions, ExtensionContext.CertificateRequest) is { } alert)
        {
            return Fail(alert, "CertificateRequest carries an extension not allowed there");
        }

        byte[]? schemesData = request.FindExtension(ExtensionType.SignatureAlgorithms);
        if (schemesData is null) return Fail(AlertDescription.MissingExtension, "CertificateRequest has no signature_algorithms");
        if (!SignatureAlgorithmsExtension.TryParse(schemesData, out SignatureScheme[] schemes)) return Fail(AlertDescription.DecodeError, "malformed signature_algorithms");

        Transcript.Add(message);
        _requestedSchemes = schemes;
        _certificateRequestContext = request.CertificateRequestContext;
        _state = State.WaitCertificate;
        return true;
    }

    private bool HandleCertificate(ReadOnlySpan<byte> message, ReadOnlySpan<byte> body)
    {
        if (!Certificate.TryParse(body, out Certificate? certificate)) return Fail(AlertDescription.DecodeError, "malformed Certificate");
        if (certificate!.CertificateRequestContext.Length != 0) return Fail(AlertDescription.IllegalParameter, "server Certificate has a non-empty context");
        if (certificate.CertificateList.Count == 0) return Fail(AlertDescription.DecodeError, "server sent no certificate");
        if (certificate.HasDuplicateExtensions) return Fail(AlertDescription.IllegalParameter, "CertificateEntry repeats an extension");
        if (certificate.CertificateList.Any(e => e.Extensions.Count != 0)) return Fail(AlertDescription.UnsupportedExtension, "CertificateEntry carries an extension that was not requested");

        if (!TlsPeerCertificate.TryCreate([.. certificate.CertificateList.Select(e => e.CertData)], out TlsPeerCertificate? peer, out AlertDescription alert, out string reason))
        {
            return Fail(alert, reason);
        }

        if (!_serverCertificatePolicy.Verify(peer!, _serverName, out alert, out reason)) return Fail(alert, reason);

        Transcript.Add(message);
        PeerCertificate = peer;
        _state = State.WaitCertificateVerify;
        return true;
    }

    private bool HandleCertificateVerify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> body)
    {
        if (!CertificateVerify.TryParse(body, out CertificateVerify? verify)) return Fail(AlertDescription.DecodeError, "malformed CertificateVerify");
        SignatureScheme scheme = verify!.Algorithm;
        if (!SignatureSchemes.IsCertificateVerifyScheme(scheme) || !SignatureSchemes.Advertised.Contains(scheme))
        {
            return Fail(AlertDescription.IllegalParameter, $"CertificateVerify uses scheme 0x{(ushort)scheme:x4}, not offered");
        }

        if (!SignatureSchemes.Matches(scheme, PeerCertificate!.KeyType)) return Fail(AlertDescription.IllegalParameter, $"{scheme} does not fit a {PeerCertificate.KeyType} key");

        byte[] content = CertificateVerify.BuildSignedContent(server: true, Transcript.GetCurrentHash());
        if (!SignatureVerifier.Verify(scheme, PeerCertificate.SubjectPublicKeyInfo, content, verify.Signature))
        {
            return Fail(AlertDescription.DecryptError, "server CertificateVerify signature is invalid");
        }

        Transcript.Add(message);
        _state = State.WaitFinished;
        return true;
    }

    private bool HandleFinished(ReadOnlySpan<byte> message, ReadOnlySpan<byte> body)
    {
        KeySchedule schedule = KeySchedule!;
        if (!Finished.TryParse(body, schedule.HashLength, out Finished? finished)) return Fail(AlertDescription.DecodeError, "malformed Finished");
        byte[] expected = schedule.ComputeFinishedVerifyData(_serverHandshakeSecret!, Transcript.GetCurrentHash());
        if (!CryptographicOperations.FixedTimeEquals(expected, finished!.VerifyData)) return Fail(AlertDescription.DecryptError, "server Finished does not verify");

        Transcript.Add(message);
        schedule.DeriveMasterSecret();
        (byte[] clientApplicationSecret, byte[] serverApplicationSecret) = schedule.DeriveApplicationTrafficSecrets(Transcript.GetCurrentHash());
        CipherSuite suite = schedule.Suite;
        Emit(TlsEvent.SecretsAvailable(EncryptionLevel.OneRtt, suite, TlsSecretDirection.Read, serverApplicationSecret));

        var flight = new List<byte[]>();
        if (_requestedSchemes is not null) SendClientCertificate(flight);
        byte[] verifyData = schedule.ComputeFinishedVerifyData(_clientHandshakeSecret!, Transcript.GetCurrentHash());
        Send(new Finished { VerifyData = verifyData }, flight);
        EmitWrite(EncryptionLevel.Handshake, flight);

        Emit(TlsEvent.SecretsAvailable(EncryptionLevel.OneRtt, suite, TlsSecretDirection.Write, clientApplicationSecret));
        IsHandshakeComplete = true;
        Emit(TlsEvent.HandshakeComplete());
        ReadLevel = EncryptionLevel.OneRtt;
        _state = State.Connected;
        return true;
    }

    /// <summary>Certificate and CertificateVerify, or an empty Certificate when there is no usable credential.</summary>
    private void SendClientCertificate(List<byte[]> flight)
    {
        TlsCertificateCredential? credential = _clientCredential;
        SignatureScheme? scheme = credential?.Key.SelectScheme(_requestedSchemes!);
        if (credential is null || scheme is null)
        {
            Send(new Certificate { CertificateRequestContext = _certificateRequestContext }, flight);
            return;
        }

        Send(new Certificate
        {
            CertificateRequestContext = _certificateRequestContext,
            CertificateList = [.. credential.CertificateChain.Select(c => new CertificateEntry(c))],
        }, flight);
        byte[] content = CertificateVerify.BuildSignedContent(server: false, Transcript.GetCurrentHash());
        Send(new CertificateVerify { Algorithm = scheme.Value, Signature = credential.Key.Sign(scheme.Value, content) }, flight);
    }

    /// <summary>
    /// RFC 8446 section 4.6.1 / RFC 9001 section 4.6.1: checked for well-formedness and the QUIC
    /// early_data rule, then dropped (no resumption).
    /// </summary>
    private bool HandleNewSessionTicket(ReadOnlySpan<byte> body)
    {
        if (!NewSessionTicket.TryParse(body, out NewSessionTicket? ticket)) return Fail(AlertDescription.DecodeError, "malformed NewSessionTicket");
        if (ticket!.FindExtension(ExtensionType.EarlyData) is { } earlyData)
        {
            if (!EarlyDataExtension.TryParseNewSessionTicket(earlyData, out uint maxEarlyDataSize)) return Fail(AlertDescription.DecodeError, "malformed early_data in NewSessionTicket");
            if (maxEarlyDataSize != EarlyDataExtension.QuicMaxEarlyDataSize)
            {
                return FailTransport(TransportErrorCode.PROTOCOL_VIOLATION, "NewSessionTicket max_early_data_size is not 0xffffffff (RFC 9001 section 4.6.1)");
            }
        }

        return true;
    }

    private protected override void OnDispose()
    {
        foreach (KeyExchange.KeyExchange share in _keyShares) share.Dispose();
        _keyShares.Clear();
        if (_clientHandshakeSecret is not null) CryptographicOperations.ZeroMemory(_clientHandshakeSecret);
        if (_serverHandshakeSecret is not null) CryptographicOperations.ZeroMemory(_serverHandshakeSecret);
    }
}
