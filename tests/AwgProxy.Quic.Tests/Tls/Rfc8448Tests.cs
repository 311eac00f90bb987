using System.Security.Cryptography;
using AwgProxy.Quic.Crypto;
using AwgProxy.Quic.Tls;
using AwgProxy.Quic.Tls.Extensions;
using AwgProxy.Quic.Tls.KeyExchange;
using AwgProxy.Quic.Tls.Messages;
using AwgProxy.Quic.Tls.Signatures;
using static AwgProxy.Quic.Tests.Tls.TlsTestSupport;

namespace AwgProxy.Quic.Tests.Tls;

/// <summary>
/// RFC 8448 section 3, "Simple 1-RTT Handshake" (TLS_AES_128_GCM_SHA256, x25519, RSA certificate):
/// every value below is copied from the trace.
/// </summary>
public class Rfc8448Tests
{
    // {client} create an ephemeral x25519 key pair
    private static readonly byte[] ClientPrivateKey = Hex("49 af 42 ba 7f 79 94 85 2d 71 3e f2 78 4b cb ca a7 91 1d e2 6a dc 56 42 cb 63 45 40 e7 ea 50 05");
    private static readonly byte[] ClientPublicKey = Hex("99 38 1d e5 60 e4 bd 43 d2 3d 8e 43 5a 7d ba fe b3 c0 6e 51 c1 3c ae 4d 54 13 69 1e 52 9a af 2c");

    // {server} create an ephemeral x25519 key pair
    private static readonly byte[] ServerPrivateKey = Hex("b1 58 0e ea df 6d d5 89 b8 ef 4f 2d 56 52 57 8c c8 10 e9 98 01 91 ec 8d 05 83 08 ce a2 16 a2 1e");
    private static readonly byte[] ServerPublicKey = Hex("c9 82 88 76 11 20 95 fe 66 76 2b db f7 c6 72 e1 56 d6 cc 25 3b 83 3d f1 dd 69 b1 b0 4e 75 1f 0f");

    // {client} construct a ClientHello handshake message (196 octets)
    private static readonly byte[] ClientHelloMessage = Hex("""
        01 00 00 c0 03 03 cb 34 ec b1 e7 81 63 ba 1c 38 c6 da cb 19 6a 6d ff a2 1a 8d 99 12 ec 18 a2 ef 62 83
        02 4d ec e7 00 00 06 13 01 13 03 13 02 01 00 00 91 00 00 00 0b 00 09 00 00 06 73 65 72 76 65 72 ff 01
        00 01 00 00 0a 00 14 00 12 00 1d 00 17 00 18 00 19 01 00 01 01 01 02 01 03 01 04 00 23 00 00 00 33 00
        26 00 24 00 1d 00 20 99 38 1d e5 60 e4 bd 43 d2 3d 8e 43 5a 7d ba fe b3 c0 6e 51 c1 3c ae 4d 54 13 69
        1e 52 9a af 2c 00 2b 00 03 02 03 04 00 0d 00 20 00 1e 04 03 05 03 06 03 02 03 08 04 08 05 08 06 04 01
        05 01 06 01 02 01 04 02 05 02 06 02 02 02 00 2d 00 02 01 01 00 1c 00 02 40 01
        """);

    // {server} construct a ServerHello handshake message (90 octets)
    private static readonly byte[] ServerHelloMessage = Hex("""
        02 00 00 56 03 03 a6 af 06 a4 12 18 60 dc 5e 6e 60 24 9c d3 4c 95 93 0c 8a c5 cb 14 34 da c1 55 77 2e
        d3 e2 69 28 00 13 01 00 00 2e 00 33 00 24 00 1d 00 20 c9 82 88 76 11 20 95 fe 66 76 2b db f7 c6 72 e1
        56 d6 cc 25 3b 83 3d f1 dd 69 b1 b0 4e 75 1f 0f 00 2b 00 02 03 04
        """);

    // {server} construct an EncryptedExtensions handshake message (40 octets)
    private static readonly byte[] EncryptedExtensionsMessage = Hex("""
        08 00 00 24 00 22 00 0a 00 14 00 12 00 1d 00 17 00 18 00 19 01 00 01 01 01 02 01 03 01 04 00 1c 00 02
        40 01 00 00 00 00
        """);

    // {server} construct a Certificate handshake message (445 octets)
    private static readonly byte[] CertificateMessage = Hex("""
        0b 00 01 b9 00 00 01 b5 00 01 b0 30 82 01 ac 30 82 01 15 a0 03 02 01 02 02 01 02 30 0d 06 09 2a 86 48
        86 f7 0d 01 01 0b 05 00 30 0e 31 0c 30 0a 06 03 55 04 03 13 03 72 73 61 30 1e 17 0d 31 36 30 37 33 30
        30 31 32 33 35 39 5a 17 0d 32 36 30 37 33 30 30 31 32 33 35 39 5a 30 0e 31 0c 30 0a 06 03 55 04 03 13
        03 72 73 61 30 81 9f 30 0d 06 09 2a 86 48 86 f7 0d 01 01 01 05 00 03 81 8d 00 30 81 89 02 81 81 00 b4
        bb 49 8f 82 79 30 3d 98 08 36 39 9b 36 c6 98 8c 0c 68 de 55 e1 bd b8 26 d3 90 1a 24 61 ea fd 2d e4 9a
        91 d0 15 ab bc 9a 95 13 7a ce 6c 1a f1 9e aa 6a f9 8c 7c ed 43 12 09 98 e1 87 a8 0e e0 cc b0 52 4b 1b
        01 8c 3e 0b 63 26 4d 44 9a 6d 38 e2 2a 5f da 43 08 46 74 80 30 53 0e f0 46 1c 8c a9 d9 ef bf ae 8e a6
        d1 d0 3e 2b d1 93 ef f0 ab 9a 80 02 c4 74 28 a6 d3 5a 8d 88 d7 9f 7f 1e 3f 02 03 01 00 01 a3 1a 30 18
        30 09 06 03 55 1d 13 04 02 30 00 30 0b 06 03 55 1d 0f 04 04 03 02 05 a0 30 0d 06 09 2a 86 48 86 f7 0d
        01 01 0b 05 00 03 81 81 00 85 aa d2 a0 e5 b9 27 6b 90 8c 65 f7 3a 72 67 17 06 18 a5 4c 5f 8a 7b 33 7d
        2d f7 a5 94 36 54 17 f2 ea e8 f8 a5 8c 8f 81 72 f9 31 9c f3 6b 7f d6 c5 5b 80 f2 1a 03 01 51 56 72 60
        96 fd 33 5e 5e 67 f2 db f1 02 70 2e 60 8c ca e6 be c1 fc 63 a4 2a 99 be 5c 3e b7 10 7c 3c 54 e9 b9 eb
        2b d5 20 3b 1c 3b 84 e0 a8 b2 f7 59 40 9b a3 ea c9 d9 1d 40 2d cc 0c c8 f8 96 12 29 ac 91 87 b4 2b 4d
        e1 00 00
        """);

    // {server} construct a CertificateVerify handshake message (136 octets)
    private static readonly byte[] CertificateVerifyMessage = Hex("""
        0f 00 00 84 08 04 00 80 5a 74 7c 5d 88 fa 9b d2 e5 5a b0 85 a6 10 15 b7 21 1f 82 4c d4 84 14 5a b3 ff
        52 f1 fd a8 47 7b 0b 7a bc 90 db 78 e2 d3 3a 5c 14 1a 07 86 53 fa 6b ef 78 0c 5e a2 48 ee aa a7 85 c4
        f3 94 ca b6 d3 0b be 8d 48 59 ee 51 1f 60 29 57 b1 54 11 ac 02 76 71 45 9e 46 44 5c 9e a5 8c 18 1e 81
        8e 95 b8 c3 fb 0b f3 27 84 09 d3 be 15 2a 3d a5 04 3e 06 3d da 65 cd f5 ae a2 0d 53 df ac d4 2f 74 f3
        """);

    // {server} construct a Finished handshake message (36 octets)
    private static readonly byte[] ServerFinishedMessage = Hex("""
        14 00 00 20 9b 9b 14 1d 90 63 37 fb d2 cb dc e7 1d f4 de da 4a b4 2c 30 95 72 cb 7f ff ee 54 54 b7 8f
        07 18
        """);

    // {client} construct a Finished handshake message (36 octets)
    private static readonly byte[] ClientFinishedMessage = Hex("""
        14 00 00 20 a8 ec 43 6d 67 76 34 ae 52 5a c1 fc eb e1 1a 03 9e c1 76 94 fa c6 e9 85 27 b6 42 f2 ed d5
        ce 61
        """);

    // RFC 8448 section 4 (resumed 0-RTT), {server} construct a NewSessionTicket handshake message (205 octets)
    private static readonly byte[] NewSessionTicketMessage = Hex("""
        04 00 00 c9 00 00 00 1e fa d6 aa c5 02 00 00 00 b2 2c 03 5d 82 93 59 ee 5f f7 af 4e c9 00 00 00 00 26
        2a 64 94 dc 48 6d 2c 8a 34 cb 33 fa 90 bf 1b 00 70 ad 3c 49 88 83 c9 36 7c 09 a2 be 78 5a bc 55 cd 22
        60 97 a3 a9 82 11 72 83 f8 2a 03 a1 43 ef d3 ff 5d d3 6d 64 e8 61 be 7f d6 1d 28 27 db 27 9c ce 14 50
        77 d4 54 a3 66 4d 4e 6d a4 d2 9e e0 37 25 a6 a4 da fc d0 fc 67 d2 ae a7 05 29 51 3e 3d a2 67 7f a5 90
        6c 5b 3f 7d 8f 92 f2 28 bd a4 0d da 72 14 70 f9 fb f2 97 b5 ae a6 17 64 6f ac 5c 03 27 2e 97 07 27 c6
        21 a7 91 41 ef 5f 7d e6 50 5e 5b fb c3 88 e9 33 43 69 40 93 93 4a e4 d3 57 00 08 00 2a 00 04 00 00 04
        00
        """);

    private static readonly byte[] SharedSecret = Hex("8b d4 05 4f b5 5b 9d 63 fd fb ac f9 f0 4b 9f 0d 35 e6 d6 3f 53 75 63 ef d4 62 72 90 0f 89 49 2d");
    private static readonly byte[] EarlySecret = Hex("33 ad 0a 1c 60 7e c0 3b 09 e6 cd 98 93 68 0c e2 10 ad f3 00 aa 1f 26 60 e1 b2 2e 10 f1 70 f9 2a");
    private static readonly byte[] DerivedForHandshake = Hex("6f 26 15 a1 08 c7 02 c5 67 8f 54 fc 9d ba b6 97 16 c0 76 18 9c 48 25 0c eb ea c3 57 6c 36 11 ba");
    private static readonly byte[] HandshakeSecret = Hex("1d c8 26 e9 36 06 aa 6f dc 0a ad c1 2f 74 1b 01 04 6a a6 b9 9f 69 1e d2 21 a9 f0 ca 04 3f be ac");
    private static readonly byte[] HelloHash = Hex("86 0c 06 ed c0 78 58 ee 8e 78 f0 e7 42 8c 58 ed d6 b4 3f 2c a3 e6 e9 5f 02 ed 06 3c f0 e1 ca d8");
    private static readonly byte[] ClientHandshakeTrafficSecret = Hex("b3 ed db 12 6e 06 7f 35 a7 80 b3 ab f4 5e 2d 8f 3b 1a 95 07 38 f5 2e 96 00 74 6a 0e 27 a5 5a 21");
    private static readonly byte[] ServerHandshakeTrafficSecret = Hex("b6 7b 7d 69 0c c1 6c 4e 75 e5 42 13 cb 2d 37 b4 e9 c9 12 bc de d9 10 5d 42 be fd 59 d3 91 ad 38");
    private static readonly byte[] DerivedForMaster = Hex("43 de 77 e0 c7 77 13 85 9a 94 4d b9 db 25 90 b5 31 90 a6 5b 3e e2 e4 f1 2d d7 a0 bb 7c e2 54 b4");
    private static readonly byte[] MasterSecret = Hex("18 df 06 84 3d 13 a0 8b f2 a4 49 84 4c 5f 8a 47 80 01 bc 4d 4c 62 79 84 d5 a4 1d a8 d0 40 29 19");
    private static readonly byte[] ServerFinishedHash = Hex("96 08 10 2a 0f 1c cc 6d b6 25 0b 7b 7e 41 7b 1a 00 0e aa da 3d aa e4 77 7a 76 86 c9 ff 83 df 13");
    private static readonly byte[] ClientApplicationTrafficSecret = Hex("9e 40 64 6c e7 9a 7f 9d c0 5a f8 88 9b ce 65 52 87 5a fa 0b 06 df 00 87 f7 92 eb b7 c1 75 04 a5");
    private static readonly byte[] ServerApplicationTrafficSecret = Hex("a1 1a f9 f0 55 31 f8 56 ad 47 11 6b 45 a9 50 32 82 04 b4 f4 4b fb 6b 3a 4b 4f 1f 3f cb 63 16 43");
    private static readonly byte[] ServerFinishedKey = Hex("00 8d 3b 66 f8 16 ea 55 9f 96 b5 37 e8 85 c3 1f c0 68 bf 49 2c 65 2f 01 f2 88 a1 d8 cd c1 9f c8");
    private static readonly byte[] ClientFinishedKey = Hex("b8 0a d0 10 15 fb 2f 0b d6 5f f7 d4 da 5d 6b f8 3f 84 82 1d 1f 87 fd c7 d3 c7 5b 5a 7b 42 d9 c4");

    private static byte[] Body(byte[] message) => message[HandshakeMessage.HeaderLength..];

    private static Transcript TranscriptOf(params byte[][] messages)
    {
        var transcript = new Transcript();
        foreach (byte[] message in messages) transcript.Add(message);
        transcript.SetHashAlgorithm(HashAlgorithmName.SHA256);
        return transcript;
    }

    [Fact]
    public void X25519_TraceKeys_GiveTheTraceSharedSecret()
    {
        using var client = new X25519KeyExchange(destination => ClientPrivateKey.CopyTo(destination));
        using var server = new X25519KeyExchange(destination => ServerPrivateKey.CopyTo(destination));

        Assert.Equal(ClientPublicKey, client.PublicKey);
        Assert.Equal(ServerPublicKey, server.PublicKey);
        Assert.True(client.TryDeriveSharedSecret(ServerPublicKey, out byte[] clientSide));
        Assert.True(server.TryDeriveSharedSecret(ClientPublicKey, out byte[] serverSide));
        Assert.Equal(SharedSecret, clientSide);
        Assert.Equal(SharedSecret, serverSide);
    }

    [Fact]
    public void KeySchedule_MatchesTraceSecretByteForByte()
    {
        using var schedule = new KeySchedule(CipherSuite.TLS_AES_128_GCM_SHA256);
        Assert.Equal(EarlySecret, schedule.EarlySecret);
        Assert.Equal(DerivedForHandshake, schedule.DeriveSecret(EarlySecret, "derived", SHA256.HashData([])));

        schedule.DeriveHandshakeSecret(SharedSecret);
        Assert.Equal(HandshakeSecret, schedule.HandshakeSecret);

        using Transcript hello = TranscriptOf(ClientHelloMessage, ServerHelloMessage);
        Assert.Equal(HelloHash, hello.GetCurrentHash());
        (byte[] clientHandshake, byte[] serverHandshake) = schedule.DeriveHandshakeTrafficSecrets(HelloHash);
        Assert.Equal(ClientHandshakeTrafficSecret, clientHandshake);
        Assert.Equal(ServerHandshakeTrafficSecret, serverHandshake);

        Assert.Equal(DerivedForMaster, schedule.DeriveSecret(HandshakeSecret, "derived", SHA256.HashData([])));
        schedule.DeriveMasterSecret();
        Assert.Equal(MasterSecret, schedule.MasterSecret);

        using Transcript flight = TranscriptOf(ClientHelloMessage, ServerHelloMessage, EncryptedExtensionsMessage, CertificateMessage, CertificateVerifyMessage, ServerFinishedMessage);
        Assert.Equal(ServerFinishedHash, flight.GetCurrentHash());
        (byte[] clientApplication, byte[] serverApplication) = schedule.DeriveApplicationTrafficSecrets(ServerFinishedHash);
        Assert.Equal(ClientApplicationTrafficSecret, clientApplication);
        Assert.Equal(ServerApplicationTrafficSecret, serverApplication);
    }

    [Fact]
    public void FinishedKeysAndVerifyData_MatchTrace()
    {
        using var schedule = new KeySchedule(CipherSuite.TLS_AES_128_GCM_SHA256);
        Assert.Equal(ServerFinishedKey, schedule.FinishedKey(ServerHandshakeTrafficSecret));
        Assert.Equal(ClientFinishedKey, schedule.FinishedKey(ClientHandshakeTrafficSecret));

        using Transcript beforeServerFinished = TranscriptOf(ClientHelloMessage, ServerHelloMessage, EncryptedExtensionsMessage, CertificateMessage, CertificateVerifyMessage);
        byte[] serverVerifyData = schedule.ComputeFinishedVerifyData(ServerHandshakeTrafficSecret, beforeServerFinished.GetCurrentHash());
        Assert.True(Finished.TryParse(Body(ServerFinishedMessage), 32, out Finished? serverFinished));
        Assert.Equal(serverFinished!.VerifyData, serverVerifyData);

        byte[] clientVerifyData = schedule.ComputeFinishedVerifyData(ClientHandshakeTrafficSecret, ServerFinishedHash);
        Assert.True(Finished.TryParse(Body(ClientFinishedMessage), 32, out Finished? clientFinished));
        Assert.Equal(clientFinished!.VerifyData, clientVerifyData);
        Assert.Equal(ClientFinishedMessage, HandshakeMessage.Encode(new Finished { VerifyData = clientVerifyData }));
    }

    [Fact]
    public void ServerCertificateVerify_VerifiesWithTheTraceRsaCertificate()
    {
        Assert.True(Certificate.TryParse(Body(CertificateMessage), out Certificate? certificate));
        Assert.True(Quic.Tls.Certificates.X509Der.TryReadSubjectPublicKeyInfo(certificate!.CertificateList[0].CertData, out byte[] spki));
        Assert.True(CertificateVerify.TryParse(Body(CertificateVerifyMessage), out CertificateVerify? verify));
        Assert.Equal(SignatureScheme.RsaPssRsaeSha256, verify!.Algorithm);

        using Transcript throughCertificate = TranscriptOf(ClientHelloMessage, ServerHelloMessage, EncryptedExtensionsMessage, CertificateMessage);
        byte[] content = CertificateVerify.BuildSignedContent(server: true, throughCertificate.GetCurrentHash());
        Assert.True(SignatureVerifier.Verify(verify.Algorithm, spki, content, verify.Signature));

        byte[] wrongContent = CertificateVerify.BuildSignedContent(server: false, throughCertificate.GetCurrentHash());
        Assert.False(SignatureVerifier.Verify(verify.Algorithm, spki, wrongContent, verify.Signature));
    }

    [Fact]
    public void ClientHello_ParsesTraceFields()
    {
        Assert.True(ClientHello.TryParse(Body(ClientHelloMessage), out ClientHello? hello));
        Assert.Equal(0x0303, hello!.LegacyVersion);
        Assert.Equal(Hex("cb 34 ec b1 e7 81 63 ba 1c 38 c6 da cb 19 6a 6d ff a2 1a 8d 99 12 ec 18 a2 ef 62 83 02 4d ec e7"), hello.Random);
        Assert.Empty(hello.LegacySessionId);
        Assert.Equal([CipherSuite.TLS_AES_128_GCM_SHA256, CipherSuite.TLS_CHACHA20_POLY1305_SHA256, CipherSuite.TLS_AES_256_GCM_SHA384], hello.CipherSuites);
        Assert.Equal(new byte[] { 0 }, hello.LegacyCompressionMethods);
        Assert.False(hello.HasDuplicateExtensions);
        Assert.Equal(
            [ExtensionType.ServerName, (ExtensionType)0xff01, ExtensionType.SupportedGroups, (ExtensionType)35, ExtensionType.KeyShare,
             ExtensionType.SupportedVersions, ExtensionType.SignatureAlgorithms, ExtensionType.PskKeyExchangeModes, ExtensionType.RecordSizeLimit],
            hello.Extensions.Select(e => e.Type));

        Assert.True(ServerNameExtension.TryParse(hello.FindExtension(ExtensionType.ServerName), out string name));
        Assert.Equal("server", name);
        Assert.True(SupportedGroupsExtension.TryParse(hello.FindExtension(ExtensionType.SupportedGroups), out NamedGroup[] groups));
        Assert.Equal([NamedGroup.X25519, NamedGroup.Secp256r1, (NamedGroup)0x0018, (NamedGroup)0x0019, (NamedGroup)0x0100, (NamedGroup)0x0101, (NamedGroup)0x0102, (NamedGroup)0x0103, (NamedGroup)0x0104], groups);
        Assert.True(KeyShareExtension.TryParseClientHello(hello.FindExtension(ExtensionType.KeyShare), out List<KeyShareEntry> shares));
        Assert.Equal(NamedGroup.X25519, Assert.Single(shares).Group);
        Assert.Equal(ClientPublicKey, shares[0].KeyExchange);
        Assert.True(SupportedVersionsExtension.TryParseClientHello(hello.FindExtension(ExtensionType.SupportedVersions), out ushort[] versions));
        Assert.Equal([(ushort)0x0304], versions);
        Assert.True(SignatureAlgorithmsExtension.TryParse(hello.FindExtension(ExtensionType.SignatureAlgorithms), out SignatureScheme[] schemes));
        Assert.Equal(15, schemes.Length);
        Assert.Equal(SignatureScheme.EcdsaSecp256r1Sha256, schemes[0]);

        Assert.Equal(ClientHelloMessage, HandshakeMessage.Encode(hello));
    }

    [Fact]
    public void ServerHello_ParsesTraceFields()
    {
        Assert.True(ServerHello.TryParse(Body(ServerHelloMessage), out ServerHello? hello));
        Assert.False(hello!.IsHelloRetryRequest);
        Assert.Equal(CipherSuite.TLS_AES_128_GCM_SHA256, hello.CipherSuite);
        Assert.Equal(0, hello.LegacyCompressionMethod);
        Assert.True(KeyShareExtension.TryParseServerHello(hello.FindExtension(ExtensionType.KeyShare), out KeyShareEntry? share));
        Assert.Equal(NamedGroup.X25519, share!.Group);
        Assert.Equal(ServerPublicKey, share.KeyExchange);
        Assert.True(SupportedVersionsExtension.TryParseServerHello(hello.FindExtension(ExtensionType.SupportedVersions), out ushort version));
        Assert.Equal(0x0304, version);
        Assert.Equal(ServerHelloMessage, HandshakeMessage.Encode(hello));
    }

    [Fact]
    public void EncryptedExtensionsCertificateAndNewSessionTicket_ParseAndReencodeIdentically()
    {
        Assert.True(EncryptedExtensions.TryParse(Body(EncryptedExtensionsMessage), out EncryptedExtensions? extensions));
        Assert.Equal([ExtensionType.SupportedGroups, ExtensionType.RecordSizeLimit, ExtensionType.ServerName], extensions!.Extensions.Select(e => e.Type));
        Assert.Equal(EncryptedExtensionsMessage, HandshakeMessage.Encode(extensions));

        Assert.True(Certificate.TryParse(Body(CertificateMessage), out Certificate? certificate));
        Assert.Equal(0x1b0, Assert.Single(certificate!.CertificateList).CertData.Length);
        Assert.Equal(CertificateMessage, HandshakeMessage.Encode(certificate));

        Assert.True(CertificateVerify.TryParse(Body(CertificateVerifyMessage), out CertificateVerify? verify));
        Assert.Equal(128, verify!.Signature.Length);
        Assert.Equal(CertificateVerifyMessage, HandshakeMessage.Encode(verify));

        Assert.True(NewSessionTicket.TryParse(Body(NewSessionTicketMessage), out NewSessionTicket? ticket));
        Assert.Equal(0x1eu, ticket!.TicketLifetime);
        Assert.Equal(0xfad6aac5u, ticket.TicketAgeAdd);
        Assert.Equal(new byte[] { 0, 0 }, ticket.TicketNonce);
        Assert.Equal(0xb2, ticket.Ticket.Length);
        Assert.True(EarlyDataExtension.TryParseNewSessionTicket(ticket.FindExtension(ExtensionType.EarlyData), out uint maxEarlyData));
        Assert.Equal(0x400u, maxEarlyData);
        Assert.Equal(NewSessionTicketMessage, HandshakeMessage.Encode(ticket));
    }

    /// <summary>Hands out the given values, one per call, in order.</summary>
    private static RandomFill Sequence(params byte[][] values)
    {
        var queue = new Queue<byte[]>(values);
        return destination =>
        {
            byte[] next = queue.Dequeue();
            Assert.Equal(next.Length, destination.Length);
            next.CopyTo(destination);
        };
    }

    [Fact]
    public void SessionsWithTheTraceRandomness_ProduceTheTraceServerHelloAndItsHandshakeSecrets()
    {
        byte[] clientRandom = Hex("cb 34 ec b1 e7 81 63 ba 1c 38 c6 da cb 19 6a 6d ff a2 1a 8d 99 12 ec 18 a2 ef 62 83 02 4d ec e7");
        byte[] serverRandom = Hex("a6 af 06 a4 12 18 60 dc 5e 6e 60 24 9c d3 4c 95 93 0c 8a c5 cb 14 34 da c1 55 77 2e d3 e2 69 28");
        TlsClientOptions clientOptions = HandshakeHarness.ClientOptionsPinning(TestCertificates.Ecdsa);
        clientOptions.Random = Sequence(clientRandom, ClientPrivateKey);
        TlsServerOptions serverOptions = HandshakeHarness.ServerOptions(TestCertificates.Ecdsa);
        serverOptions.Random = Sequence(ServerPrivateKey, serverRandom);
        // The trace's server picks TLS_AES_128_GCM_SHA256; our default order depends on the machine.
        serverOptions.CipherSuites = [CipherSuite.TLS_AES_128_GCM_SHA256, CipherSuite.TLS_CHACHA20_POLY1305_SHA256, CipherSuite.TLS_AES_256_GCM_SHA384];
        using TlsClientSession client = TlsSession.CreateClient(clientOptions);
        using TlsServerSession server = TlsSession.CreateServer(serverOptions);

        // Our ClientHello carries the trace's random and x25519 share (its other extensions are QUIC's).
        client.Start();
        Assert.True(client.TryPollEvent(out TlsEvent clientHelloEvent));
        byte[] clientHello = clientHelloEvent.Data.ToArray();
        Assert.True(ClientHello.TryParse(clientHello.AsSpan(4), out ClientHello? parsed));
        Assert.Equal(clientRandom, parsed!.Random);
        Assert.True(KeyShareExtension.TryParseClientHello(parsed.FindExtension(ExtensionType.KeyShare), out List<KeyShareEntry> shares));
        Assert.Equal(ClientPublicKey, Assert.Single(shares).KeyExchange);

        // The server, given the trace's randomness, answers with the trace's ServerHello byte for byte.
        Assert.True(server.ProvideHandshakeData(EncryptionLevel.Initial, clientHello));
        var serverEvents = new List<TlsEvent>();
        while (server.TryPollEvent(out TlsEvent e)) serverEvents.Add(e);
        Assert.Equal(ServerHelloMessage, serverEvents.First(e => e.Kind == TlsEventKind.WriteData).Data.ToArray());

        // Both sides reach the trace's handshake secret; their traffic secrets cover our ClientHello.
        Assert.True(client.ProvideHandshakeData(EncryptionLevel.Initial, ServerHelloMessage));
        var clientEvents = new List<TlsEvent>();
        while (client.TryPollEvent(out TlsEvent e)) clientEvents.Add(e);
        using var schedule = new KeySchedule(CipherSuite.TLS_AES_128_GCM_SHA256);
        byte[] helloHash = SHA256.HashData([.. clientHello, .. ServerHelloMessage]);
        byte[] expectedClient = schedule.DeriveSecret(HandshakeSecret, "c hs traffic", helloHash);
        byte[] expectedServer = schedule.DeriveSecret(HandshakeSecret, "s hs traffic", helloHash);
        Assert.Equal(expectedClient, HandshakeHarness.Secret(clientEvents, EncryptionLevel.Handshake, TlsSecretDirection.Write));
        Assert.Equal(expectedServer, HandshakeHarness.Secret(clientEvents, EncryptionLevel.Handshake, TlsSecretDirection.Read));
        Assert.Equal(expectedServer, HandshakeHarness.Secret(serverEvents, EncryptionLevel.Handshake, TlsSecretDirection.Write));
        Assert.Equal(expectedClient, HandshakeHarness.Secret(serverEvents, EncryptionLevel.Handshake, TlsSecretDirection.Read));
    }

    [Fact]
    public void TraceClientHello_IsRefusedByQuicServerForMissingQuicExtensions()
    {
        // The trace is TLS over TCP: no ALPN, no quic_transport_parameters. A QUIC server must refuse it,
        // and the first missing QUIC requirement it meets is ALPN (RFC 9001 section 8.1).
        using TlsServerSession server = TlsSession.CreateServer(HandshakeHarness.ServerOptions(TestCertificates.Ecdsa));
        Assert.False(server.ProvideHandshakeData(EncryptionLevel.Initial, ClientHelloMessage));
        Assert.Equal(AlertDescription.NoApplicationProtocol, server.Alert);
        Assert.Equal(TransportErrorCode.CRYPTO_ERROR + 120, server.Error);
    }
}
