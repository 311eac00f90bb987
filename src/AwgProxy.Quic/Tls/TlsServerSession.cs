using System.Net.Security;
using System.Security.Cryptography;
using AwgProxy.Quic.Crypto;
using AwgProxy.Quic.Tls.Certificates;
using AwgProxy.Quic.Tls.Extensions;
using AwgProxy.Quic.Tls.Messages;
using AwgProxy.Quic.Tls.Signatures;

namespace AwgProxy.Quic.Tls;

/// <summary>
/// The server side of the handshake (RFC 8446 section 2, figure 1, plus HelloRetryRequest and client
/// authentication). It sends no NewSessionTicket: there is no resumption and no 0-RTT in this version.
/// <para>Events, in order:</para>
/// <code>
/// ClientHello needing a retry (Initial)  WriteData(Initial, HelloRetryRequest)
/// ClientHello (Initial)                  PeerTransportParameters(client's quic_transport_parameters)
///                                        WriteData(Initial, ServerHello)
///                                        SecretsAvailable(Handshake, Write = server_handshake_traffic_secret)
///                                        SecretsAvailable(Handshake, Read  = client_handshake_traffic_secret)
///                                        WriteData(Handshake, EncryptedExtensions, [CertificateRequest,]
///                                                             Certificate, CertificateVerify, Finished)
///                                        SecretsAvailable(OneRtt, Write = server_application_traffic_secret_0)
/// client Certificate, CertificateVerify (Handshake): no event
/// client Finished (Handshake)            SecretsAvailable(OneRtt, Read = client_application_traffic_secret_0)
///                                        HandshakeComplete (send HANDSHAKE_DONE)
/// </code>
/// Group choice: the server's most preferred group among the client's key shares; if the client sent
/// no share the server supports, a HelloRetryRequest for the server's most preferred group among the
/// client's supported_groups. Suite and ALPN choice: server preference. Unknown ClientHello extensions,
/// suites and groups (GREASE, CCM, ...) are ignored.
/// </summary>
public sealed class TlsServerSession : TlsSession
{
    private static readonly ExtensionType[] ExtensionsThatMustNotChange =
    [
        ExtensionType.ServerName, ExtensionType.SupportedVersions, ExtensionType.SupportedGroups,
        ExtensionType.SignatureAlgorithms, ExtensionType.ApplicationLayerProtocolNegotiation,
        ExtensionType.QuicTransportParameters, ExtensionType.PskKeyExchangeModes,
    ];

    private readonly TlsCertificateCredential _credential;
    private readonly bool _requestClientCertificate;
    private readonly bool _requireClientCertificate;
    private readonly Func<TlsPeerCertificate, object?>? _clientCertificateValidator;
    private ClientHello? _firstClientHello;
    private NamedGroup _retryGroup;
    private byte[]? _clientHandshakeSecret;
    private byte[]? _clientApplicationSecret;
    private object? _pendingIdentity;
    private State _state = State.WaitClientHello;

    internal TlsServerSession(TlsServerOptions options, byte[]? transportParametersOverride = null, RandomFill? fallbackRandom = null)
        : base(options, transportParametersOverride, fallbackRandom)
    {
        options.Validate();
        _credential = options.ServerCredential!;
        _requireClientCertificate = options.RequireClientCertificate;
        _requestClientCertificate = options.RequestClientCertificate || options.RequireClientCertificate;
        _clientCertificateValidator = options.ClientCertificateValidator;
    }

    private enum State
    {
        WaitClientHello,
        WaitSecondClientHello,
        WaitCertificate,
        WaitCertificateVerify,
        WaitFinished,
        Connected,
    }

    public override bool IsServer => true;

    /// <summary>The host name the client sent in server_name (SNI), if any.</summary>
    public string? RequestedServerName { get; private set; }

    /// <summary>
    /// What <see cref="TlsServerOptions.ClientCertificateValidator"/> returned for the client's certificate,
    /// set when the handshake completes; null when the client did not authenticate.
    /// </summary>
    public object? ClientIdentity { get; private set; }

    private protected override void OnStart()
    {
    }

    private protected override bool HandleMessage(HandshakeType type, ReadOnlySpan<byte> message, ReadOnlySpan<byte> body)
    {
        return (_state, type) switch
        {
            (State.WaitClientHello or State.WaitSecondClientHello, HandshakeType.ClientHello) => HandleClientHello(message, body),
            (State.WaitCertificate, HandshakeType.Certificate) => HandleCertificate(message, body),
            (State.WaitCertificateVerify, HandshakeType.CertificateVerify) => HandleCertificateVerify(message, body),
            (State.WaitFinished, HandshakeType.Finished) => HandleFinished(message, body),
            _ => Fail(AlertDescription.UnexpectedMessage, $"unexpected {type} in state {_state}"),
        };
    }

    private bool HandleClientHello(ReadOnlySpan<byte> message, ReadOnlySpan<byte> body)
    {
        if (!ClientHello.TryParse(body, out ClientHello? hello)) return Fail(AlertDescription.DecodeError, "malformed ClientHello");
        bool second = _state == State.WaitSecondClientHello;

        if (hello!.LegacyVersion != TlsVersion.Tls12) return Fail(AlertDescription.ProtocolVersion, $"ClientHello legacy_version 0x{hello.LegacyVersion:x4} is not 0x0303");
        if (hello.HasDuplicateExtensions) return Fail(AlertDescription.IllegalParameter, "ClientHello repeats an extension");

        byte[]? versionData = hello.FindExtension(ExtensionType.SupportedVersions);
        if (versionData is null) return Fail(AlertDescription.ProtocolVersion, "ClientHello has no supported_versions: the client does not offer TLS 1.3");
        if (!SupportedVersionsExtension.TryParseClientHello(versionData, out ushort[] versions)) return Fail(AlertDescription.DecodeError, "malformed supported_versions");
        if (!versions.Contains(TlsVersion.Tls13)) return Fail(AlertDescription.ProtocolVersion, "client does not offer TLS 1.3");

        if (hello.LegacyCompressionMethods is not [0]) return Fail(AlertDescription.IllegalParameter, "legacy_compression_methods is not the single null method");
        if (hello.LegacySessionId.Length != 0)
        {
            return FailTransport(TransportErrorCode.PROTOCOL_VIOLATION, "ClientHello has a legacy_session_id (RFC 9001 section 8.4)");
        }

        if (ExtensionRules.CheckRequest(hello.Extensions, ExtensionContext.ClientHello) is { } alert) return Fail(alert, "ClientHello carries an extension not allowed there");
        int pskIndex = hello.Extensions.FindIndex(e => e.Type == ExtensionType.PreSharedKey);
        if (pskIndex >= 0 && pskIndex != hello.Extensions.Count - 1) return Fail(AlertDescription.IllegalParameter, "pre_shared_key is not the last extension");
        if (hello.FindExtension(ExtensionType.Cookie) is not null) return Fail(AlertDescription.IllegalParameter, "ClientHello echoes a cookie this server never sent");

        if (second)
        {
            if (!SameAsFirstClientHello(hello)) return Fail(AlertDescription.IllegalParameter, "second ClientHello changes more than RFC 8446 section 4.1.2 allows");
            if (hello.FindExtension(ExtensionType.EarlyData) is not null) return Fail(AlertDescription.IllegalParameter, "second ClientHello offers early data");
        }

        // Cipher suite: server preference.
        CipherSuite? suite = null;
        foreach (CipherSuite candidate in CipherSuiteList)
        {
            if (hello.CipherSuites.Contains(candidate))
            {
                suite = candidate;
                break;
            }
        }

        if (suite is null) return Fail(AlertDescription.HandshakeFailure, "no cipher suite in common");

        byte[]? schemesData = hello.FindExtension(ExtensionType.SignatureAlgorithms);
        if (schemesData is null) return Fail(AlertDescription.MissingExtension, "ClientHello has no signature_algorithms");
        if (!SignatureAlgorithmsExtension.TryParse(schemesData, out SignatureScheme[] clientSchemes)) return Fail(AlertDescription.DecodeError, "malformed signature_algorithms");
        SignatureScheme? scheme = _credential.Key.SelectScheme(clientSchemes);
        if (scheme is null) return Fail(AlertDescription.HandshakeFailure, $"client accepts no signature scheme for a {_credential.Key.KeyType} key");

        byte[]? groupsData = hello.FindExtension(ExtensionType.SupportedGroups);
        if (groupsData is null) return Fail(AlertDescription.MissingExtension, "ClientHello has no supported_groups");
        if (!SupportedGroupsExtension.TryParse(groupsData, out NamedGroup[] clientGroups)) return Fail(AlertDescription.DecodeError, "malformed supported_groups");

        byte[]? keyShareData = hello.FindExtension(ExtensionType.KeyShare);
        if (keyShareData is null) return Fail(AlertDescription.MissingExtension, "ClientHello has no key_share");
        if (!KeyShareExtension.TryParseClientHello(keyShareData, out List<KeyShareEntry> shares)) return Fail(AlertDescription.DecodeError, "malformed key_share");
        for (int i = 0; i < shares.Count; i++)
        {
            if (!clientGroups.Contains(shares[i].Group)) return Fail(AlertDescription.IllegalParameter, $"key share for group 0x{(ushort)shares[i].Group:x4} not in supported_groups");
            for (int j = 0; j < i; j++)
            {
                if (shares[j].Group == shares[i].Group) return Fail(AlertDescription.IllegalParameter, "two key shares for one group");
            }
        }

        byte[]? alpnData = hello.FindExtension(ExtensionType.ApplicationLayerProtocolNegotiation);
        if (alpnData is null) return Fail(AlertDescription.NoApplicationProtocol, "ClientHello offers no application protocol (RFC 9001 section 8.1)");
        if (!ApplicationLayerProtocolNegotiationExtension.TryParse(alpnData, out List<byte[]> clientProtocols)) return Fail(AlertDescription.DecodeError, "malformed ALPN");
        byte[]? protocol = ApplicationProtocolList.FirstOrDefault(p => clientProtocols.Any(c => c.AsSpan().SequenceEqual(p)));
        if (protocol is null) return Fail(AlertDescription.NoApplicationProtocol, "no application protocol in common");

        byte[]? transportParameters = hello.FindExtension(ExtensionType.QuicTransportParameters);
        if (transportParameters is null) return Fail(AlertDescription.MissingExtension, "ClientHello has no quic_transport_parameters");

        if (hello.FindExtension(ExtensionType.ServerName) is { } serverNameData)
        {
            if (!ServerNameExtension.TryParse(serverNameData, out string serverName)) return Fail(AlertDescription.DecodeError, "malformed server_name");
            RequestedServerName = serverName;
        }

        // Key share: the server's most preferred group the client sent a share for.
        KeyShareEntry? share = null;
        foreach (NamedGroup group in GroupList)
        {
            share = shares.FirstOrDefault(s => s.Group == group);
            if (share is not null) break;
        }

        if (second)
        {
            if (shares.Count != 1 || share is null || share.Group != _retryGroup)
            {
                return Fail(AlertDescription.IllegalParameter, $"second ClientHello must carry exactly one key share, for {_retryGroup}");
            }
        }
        else if (share is null)
        {
            NamedGroup? retryGroup = null;
            foreach (NamedGroup group in GroupList)
            {
                if (clientGroups.Contains(group))
                {
                    retryGroup = group;
                    break;
                }
            }

            if (retryGroup is null) return Fail(AlertDescription.HandshakeFailure, "no key exchange group in common");
            return SendHelloRetryRequest(hello, message, suite.Value, retryGroup.Value);
        }

        return SendServerFlight(hello, message, suite.Value, scheme.Value, share!, protocol, transportParameters);
    }

    /// <summary>RFC 8446 section 4.1.2: the second ClientHello repeats the first except key_share, early_data, cookie, pre_shared_key and padding.</summary>
    private bool SameAsFirstClientHello(ClientHello hello)
    {
        ClientHello first = _firstClientHello!;
        if (!hello.Random.AsSpan().SequenceEqual(first.Random)) return false;
        if (!hello.LegacySessionId.AsSpan().SequenceEqual(first.LegacySessionId)) return false;
        if (!hello.CipherSuites.AsSpan().SequenceEqual(first.CipherSuites)) return false;
        if (!hello.LegacyCompressionMethods.AsSpan().SequenceEqual(first.LegacyCompressionMethods)) return false;
        foreach (ExtensionType type in ExtensionsThatMustNotChange)
        {
            byte[]? before = first.FindExtension(type);
            byte[]? after = hello.FindExtension(type);
            if (before is null != after is null) return false;
            if (before is not null && !before.AsSpan().SequenceEqual(after)) return false;
        }

        return true;
    }

    private bool SendHelloRetryRequest(ClientHello hello, ReadOnlySpan<byte> message, CipherSuite suite, NamedGroup group)
    {
        Transcript.SetHashAlgorithm(suite.HashAlgorithm());
        Transcript.Add(message);
        Transcript.ReplaceWithMessageHash();

        var retry = new ServerHello
        {
            Random = ServerHello.HelloRetryRequestRandom.ToArray(),
            LegacySessionIdEcho = hello.LegacySessionId,
            CipherSuite = suite,
            Extensions =
            [
                new TlsExtension(ExtensionType.SupportedVersions, SupportedVersionsExtension.EncodeServerHello(TlsVersion.Tls13)),
                new TlsExtension(ExtensionType.KeyShare, KeyShareExtension.EncodeHelloRetryRequest(group)),
            ],
        };
        var flight = new List<byte[]>();
        Send(retry, flight);
        EmitWrite(EncryptionLevel.Initial, flight);

        HelloRetryRequested = true;
        CipherSuite = suite;
        _firstClientHello = hello;
        _retryGroup = group;
        _state = State.WaitSecondClientHello;
        return true;
    }

    private bool SendServerFlight(ClientHello hello, ReadOnlySpan<byte> message, CipherSuite suite, SignatureScheme scheme, KeyShareEntry clientShare, byte[] protocol, byte[] transportParameters)
    {
        byte[] sharedSecret;
        byte[] serverPublicKey;
        using (KeyExchange.KeyExchange exchange = KeyExchange.KeyExchange.Create(clientShare.Group, Random))
        {
            if (!exchange.TryDeriveSharedSecret(clientShare.KeyExchange, out sharedSecret)) return Fail(AlertDescription.IllegalParameter, $"invalid {clientShare.Group} key share");
            serverPublicKey = exchange.PublicKey;
        }

        PeerTransportParameters = transportParameters;
        ApplicationProtocol = new SslApplicationProtocol(protocol);
        CipherSuite = suite;
        KeyExchangeGroup = clientShare.Group;
        Emit(TlsEvent.PeerTransportParameters((byte[])transportParameters.Clone()));

        if (!Transcript.HasHashAlgorithm) Transcript.SetHashAlgorithm(suite.HashAlgorithm());
        Transcript.Add(message);

        byte[] random = new byte[ClientHello.RandomLength];
        Random(random);
        var serverHello = new ServerHello
        {
            Random = random,
            LegacySessionIdEcho = hello.LegacySessionId,
            CipherSuite = suite,
            Extensions =
            [
                new TlsExtension(ExtensionType.KeyShare, KeyShareExtension.EncodeServerHello(new KeyShareEntry(clientShare.Group, serverPublicKey))),
                new TlsExtension(ExtensionType.SupportedVersions, SupportedVersionsExtension.EncodeServerHello(TlsVersion.Tls13)),
            ],
        };
        var flight = new List<byte[]>();
        Send(serverHello, flight);
        EmitWrite(EncryptionLevel.Initial, flight);

        var schedule = new KeySchedule(suite);
        KeySchedule = schedule;
        schedule.DeriveHandshakeSecret(sharedSecret);
        CryptographicOperations.ZeroMemory(sharedSecret);
        (byte[] clientHandshakeSecret, byte[] serverHandshakeSecret) = schedule.DeriveHandshakeTrafficSecrets(Transcript.GetCurrentHash());
        _clientHandshakeSecret = clientHandshakeSecret;
        Emit(TlsEvent.SecretsAvailable(EncryptionLevel.Handshake, suite, TlsSecretDirection.Write, (byte[])serverHandshakeSecret.Clone()));
        Emit(TlsEvent.SecretsAvailable(EncryptionLevel.Handshake, suite, TlsSecretDirection.Read, (byte[])clientHandshakeSecret.Clone()));

        Send(new EncryptedExtensions
        {
            Extensions =
            [
                new TlsExtension(ExtensionType.ApplicationLayerProtocolNegotiation, ApplicationLayerProtocolNegotiationExtension.Encode([protocol])),
                new TlsExtension(ExtensionType.QuicTransportParameters, LocalTransportParameters),
            ],
        }, flight);

        if (_requestClientCertificate)
        {
            Send(new CertificateRequest
            {
                Extensions = [new TlsExtension(ExtensionType.SignatureAlgorithms, SignatureAlgorithmsExtension.Encode(SignatureSchemes.Advertised))],
            }, flight);
        }

        TlsCertificateCredential credential = _credential;
        Send(new Certificate { CertificateList = [.. credential.CertificateChain.Select(c => new CertificateEntry(c))] }, flight);
        byte[] content = CertificateVerify.BuildSignedContent(server: true, Transcript.GetCurrentHash());
        Send(new CertificateVerify { Algorithm = scheme, Signature = credential.Key.Sign(scheme, content) }, flight);
        Send(new Finished { VerifyData = schedule.ComputeFinishedVerifyData(serverHandshakeSecret, Transcript.GetCurrentHash()) }, flight);
        CryptographicOperations.ZeroMemory(serverHandshakeSecret);
        EmitWrite(EncryptionLevel.Handshake, flight);

        schedule.DeriveMasterSecret();
        (byte[] clientApplicationSecret, byte[] serverApplicationSecret) = schedule.DeriveApplicationTrafficSecrets(Transcript.GetCurrentHash());
        _clientApplicationSecret = clientApplicationSecret;
        Emit(TlsEvent.SecretsAvailable(EncryptionLevel.OneRtt, suite, TlsSecretDirection.Write, serverApplicationSecret));

        ReadLevel = EncryptionLevel.Handshake;
        _state = _requestClientCertificate ? State.WaitCertificate : State.WaitFinished;
        return true;
    }

    private bool HandleCertificate(ReadOnlySpan<byte> message, ReadOnlySpan<byte> body)
    {
        if (!Certificate.TryParse(body, out Certificate? certificate)) return Fail(AlertDescription.DecodeError, "malformed Certificate");
        if (certificate!.CertificateRequestContext.Length != 0) return Fail(AlertDescription.IllegalParameter, "client Certificate context differs from the CertificateRequest's");
        if (certificate.HasDuplicateExtensions) return Fail(AlertDescription.IllegalParameter, "CertificateEntry repeats an extension");
        if (certificate.CertificateList.Any(e => e.Extensions.Count != 0)) return Fail(AlertDescription.UnsupportedExtension, "CertificateEntry carries an extension that was not requested");

        if (certificate.CertificateList.Count == 0)
        {
            if (_requireClientCertificate) return Fail(AlertDescription.CertificateRequired, "client sent no certificate");
            Transcript.Add(message);
            _state = State.WaitFinished;
            return true;
        }

        if (!TlsPeerCertificate.TryCreate([.. certificate.CertificateList.Select(e => e.CertData)], out TlsPeerCertificate? peer, out AlertDescription alert, out string reason))
        {
            return Fail(alert, reason);
        }

        PeerCertificate = peer;
        object? identity = _clientCertificateValidator!(peer!);
        if (identity is null) return Fail(AlertDescription.BadCertificate, "client certificate refused by the validator");

        Transcript.Add(message);
        _pendingIdentity = identity;
        _state = State.WaitCertificateVerify;
        return true;
    }

    private bool HandleCertificateVerify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> body)
    {
        if (!CertificateVerify.TryParse(body, out CertificateVerify? verify)) return Fail(AlertDescription.DecodeError, "malformed CertificateVerify");
        SignatureScheme scheme = verify!.Algorithm;
        if (!SignatureSchemes.IsCertificateVerifyScheme(scheme) || !SignatureSchemes.Advertised.Contains(scheme))
        {
            return Fail(AlertDescription.IllegalParameter, $"CertificateVerify uses scheme 0x{(ushort)scheme:x4}, not requested");
        }

        if (!SignatureSchemes.Matches(scheme, PeerCertificate!.KeyType)) return Fail(AlertDescription.IllegalParameter, $"{scheme} does not fit a {PeerCertificate.KeyType} key");

        byte[] content = CertificateVerify.BuildSignedContent(server: false, Transcript.GetCurrentHash());
        if (!SignatureVerifier.Verify(scheme, PeerCertificate.SubjectPublicKeyInfo, content, verify.Signature))
        {
            return Fail(AlertDescription.DecryptError, "client CertificateVerify signature is invalid");
        }

        Transcript.Add(message);
        _state = State.WaitFinished;
        return true;
    }

    private bool HandleFinished(ReadOnlySpan<byte> message, ReadOnlySpan<byte> body)
    {
        KeySchedule schedule = KeySchedule!;
        if (!Finished.TryParse(body, schedule.HashLength, out Finished? finished)) return Fail(AlertDescription.DecodeError, "malformed Finished");
        byte[] expected = schedule.ComputeFinishedVerifyData(_clientHandshakeSecret!, Transcript.GetCurrentHash());
        if (!CryptographicOperations.FixedTimeEquals(expected, finished!.VerifyData)) return Fail(AlertDescription.DecryptError, "client Finished does not verify");

        Transcript.Add(message);
        Emit(TlsEvent.SecretsAvailable(EncryptionLevel.OneRtt, schedule.Suite, TlsSecretDirection.Read, _clientApplicationSecret!));
        _clientApplicationSecret = null;
        ClientIdentity = _pendingIdentity;
        IsHandshakeComplete = true;
        Emit(TlsEvent.HandshakeComplete());
        ReadLevel = EncryptionLevel.OneRtt;
        _state = State.Connected;
        return true;
    }

    private protected override void OnDispose()
    {
        if (_clientHandshakeSecret is not null) CryptographicOperations.ZeroMemory(_clientHandshakeSecret);
        if (_clientApplicationSecret is not null) CryptographicOperations.ZeroMemory(_clientApplicationSecret);
    }
}
