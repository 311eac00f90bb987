namespace AwgProxy.Quic.Crypto;

/// <summary>
/// RFC 9001 sections 5.1 and 6.1: the values QUIC derives from one traffic secret with
/// HKDF-Expand-Label (zero-length Context, the hash of the negotiated cipher suite).
/// <code>
/// key         = HKDF-Expand-Label(secret, "quic key", "", key length)
/// iv          = HKDF-Expand-Label(secret, "quic iv",  "", 12)
/// hp          = HKDF-Expand-Label(secret, "quic hp",  "", header protection key length)
/// secret_&lt;n+1&gt; = HKDF-Expand-Label(secret_&lt;n&gt;, "quic ku", "", Hash.length)
/// </code>
/// Called when keys are installed or updated, never per packet.
/// </summary>
public static class PacketProtectionKeyDerivation
{
    /// <summary>RFC 9001 section 5.1: label of the AEAD key.</summary>
    public static ReadOnlySpan<byte> KeyLabel => "quic key"u8;

    /// <summary>RFC 9001 section 5.1: label of the AEAD IV.</summary>
    public static ReadOnlySpan<byte> IvLabel => "quic iv"u8;

    /// <summary>RFC 9001 section 5.1: label of the header protection key.</summary>
    public static ReadOnlySpan<byte> HeaderProtectionLabel => "quic hp"u8;

    /// <summary>RFC 9001 section 6.1: label of the next traffic secret after a key update.</summary>
    public static ReadOnlySpan<byte> KeyUpdateLabel => "quic ku"u8;

    /// <summary>Derives the AEAD key; <paramref name="key"/> must be <see cref="CipherSuiteExtensions.KeyLength"/> bytes.</summary>
    public static void DeriveKey(CipherSuite suite, ReadOnlySpan<byte> secret, Span<byte> key) =>
        Derive(suite, secret, KeyLabel, key, suite.KeyLength(), nameof(key));

    /// <summary>Derives the AEAD IV; <paramref name="iv"/> must be <see cref="CipherSuiteExtensions.IvLength"/> (12) bytes.</summary>
    public static void DeriveIv(CipherSuite suite, ReadOnlySpan<byte> secret, Span<byte> iv) =>
        Derive(suite, secret, IvLabel, iv, suite.IvLength(), nameof(iv));

    /// <summary>Derives the header protection key; <paramref name="key"/> must be <see cref="CipherSuiteExtensions.HeaderProtectionKeyLength"/> bytes.</summary>
    public static void DeriveHeaderProtectionKey(CipherSuite suite, ReadOnlySpan<byte> secret, Span<byte> key) =>
        Derive(suite, secret, HeaderProtectionLabel, key, suite.HeaderProtectionKeyLength(), nameof(key));

    /// <summary>
    /// RFC 9001 section 6.1: the traffic secret of the next key phase. <paramref name="nextSecret"/> must be
    /// <see cref="CipherSuiteExtensions.HashLength"/> bytes. The header protection key is not derived again.
    /// </summary>
    public static void DeriveNextSecret(CipherSuite suite, ReadOnlySpan<byte> secret, Span<byte> nextSecret) =>
        Derive(suite, secret, KeyUpdateLabel, nextSecret, suite.HashLength(), nameof(nextSecret));

    /// <summary>Throws unless <paramref name="secret"/> is a traffic secret of <paramref name="suite"/>.</summary>
    internal static void ValidateSecret(CipherSuite suite, ReadOnlySpan<byte> secret)
    {
        if (!Enum.IsDefined(suite))
            throw new ArgumentOutOfRangeException(nameof(suite), suite, "Unknown cipher suite.");
        if (secret.Length != suite.HashLength())
            throw new ArgumentException($"A {suite} traffic secret is {suite.HashLength()} bytes, not {secret.Length}.", nameof(secret));
    }

    private static void Derive(CipherSuite suite, ReadOnlySpan<byte> secret, ReadOnlySpan<byte> label, Span<byte> output, int expectedLength, string outputName)
    {
        ValidateSecret(suite, secret);
        if (output.Length != expectedLength)
            throw new ArgumentException($"Expected {expectedLength} bytes for {suite}, got {output.Length}.", outputName);
        HkdfLabel.Expand(suite.HashAlgorithm(), secret, label, ReadOnlySpan<byte>.Empty, output);
    }
}
