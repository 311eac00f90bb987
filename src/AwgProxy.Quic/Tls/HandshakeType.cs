namespace AwgProxy.Quic.Tls;

/// <summary>
/// RFC 8446 section 4, Handshake Protocol:
/// <code>
/// enum {
///     client_hello(1), server_hello(2), new_session_ticket(4), end_of_early_data(5),
///     encrypted_extensions(8), certificate(11), certificate_request(13),
///     certificate_verify(15), finished(20), key_update(24), message_hash(254),
///     (255)
/// } HandshakeType;
/// </code>
/// </summary>
internal enum HandshakeType : byte
{
    ClientHello = 1,
    ServerHello = 2,
    NewSessionTicket = 4,
    EndOfEarlyData = 5,
    EncryptedExtensions = 8,
    Certificate = 11,
    CertificateRequest = 13,
    CertificateVerify = 15,
    Finished = 20,
    KeyUpdate = 24,
    MessageHash = 254,
}
