using AwgProxy.Quic.Coding;

namespace AwgProxy.Quic.Tls.Messages;

/// <summary>
/// RFC 8446 section 4.4.4, Finished:
/// <code>
/// struct {
///     opaque verify_data[Hash.length];
/// } Finished;
/// </code>
/// verify_data = HMAC(finished_key, Transcript-Hash(Handshake Context, Certificate*, CertificateVerify*)).
/// </summary>
internal sealed class Finished : IHandshakeMessage
{
    public byte[] VerifyData { get; init; } = [];

    public HandshakeType Type => HandshakeType.Finished;

    public int BodyLength => VerifyData.Length;

    public void WriteBody(ref SpanWriter writer) => writer.WriteBytes(VerifyData);

    /// <summary>Parses a body whose length must be exactly the suite's <paramref name="hashLength"/>.</summary>
    public static bool TryParse(ReadOnlySpan<byte> body, int hashLength, out Finished? message)
    {
        message = null;
        if (body.Length != hashLength) return false;
        message = new Finished { VerifyData = body.ToArray() };
        return true;
    }
}
