using AwgProxy.Quic.Tls.Messages;

namespace AwgProxy.Quic.Tests.Tls.Messages;

/// <summary>The twin-test contract every handshake message codec meets.</summary>
internal static class MessageCodecAssert
{
    /// <summary>
    /// Encodes <paramref name="message"/>, checks the header, parses the body back, re-encodes to the
    /// same bytes, rejects every truncated body, and survives seeded mutation fuzzing. Returns the body.
    /// </summary>
    public static byte[] Contract<T>(T message, TryParse<T> tryParse, int fuzzSeed)
        where T : class, IHandshakeMessage
    {
        byte[] encoded = HandshakeMessage.Encode(message);
        Assert.Equal((byte)message.Type, encoded[0]);
        Assert.Equal(message.BodyLength, (encoded[1] << 16) | (encoded[2] << 8) | encoded[3]);
        Assert.Equal(HandshakeMessage.HeaderLength + message.BodyLength, encoded.Length);
        byte[] body = encoded[HandshakeMessage.HeaderLength..];

        Assert.True(tryParse(body, out T? parsed));
        Assert.Equal(encoded, HandshakeMessage.Encode(parsed!));

        TlsTestSupport.AssertEveryTruncationFails(body, b => tryParse(b, out _));
        Assert.False(tryParse([.. body, 0], out _), "a trailing byte must be rejected");

        int accepted = TlsTestSupport.FuzzNeverThrows(body, b =>
        {
            if (!tryParse(b, out T? mutant)) return false;
            HandshakeMessage.Encode(mutant!); // whatever parses must also encode
            return true;
        }, fuzzSeed);
        Assert.InRange(accepted, 0, 2000);
        return body;
    }

    public delegate bool TryParse<T>(ReadOnlySpan<byte> body, out T? message);
}
