using AwgProxy.Interop.Transport;
using AwgProxy.Quic.Crypto;

namespace AwgProxy.Interop.Cli;

/// <summary>Parses the comma-separated lists of the <c>-alpn</c>, <c>-groups</c> and <c>-ciphers</c> flags.</summary>
public static class TlsNames
{
    /// <summary>quicgo-peer's group names: x25519, p256 (secp256r1), p384 (secp384r1), p521 (secp521r1).</summary>
    public static bool TryParseGroups(string text, out IReadOnlyList<InteropKeyExchangeGroup> groups, out string? error)
    {
        var list = new List<InteropKeyExchangeGroup>();
        groups = list;
        error = null;
        if (text.Length == 0)
        {
            return true;
        }

        foreach (string item in text.Split(','))
        {
            InteropKeyExchangeGroup? group = item.Trim().ToLowerInvariant() switch
            {
                "x25519" => InteropKeyExchangeGroup.X25519,
                "p256" or "secp256r1" or "p-256" => InteropKeyExchangeGroup.Secp256r1,
                "p384" or "secp384r1" or "p-384" => InteropKeyExchangeGroup.Secp384r1,
                "p521" or "secp521r1" or "p-521" => InteropKeyExchangeGroup.Secp521r1,
                _ => null,
            };
            if (group is null)
            {
                error = $"unknown group \"{item}\" (known: x25519, p256, p384, p521)";
                return false;
            }

            list.Add(group.Value);
        }

        return true;
    }

    /// <summary>
    /// Cipher suite names: aes128 (aes128gcm, TLS_AES_128_GCM_SHA256), aes256 (aes256gcm,
    /// TLS_AES_256_GCM_SHA384), chacha20 (chacha20poly1305, TLS_CHACHA20_POLY1305_SHA256); case-insensitive.
    /// </summary>
    public static bool TryParseCipherSuites(string text, out IReadOnlyList<CipherSuite> suites, out string? error)
    {
        var list = new List<CipherSuite>();
        suites = list;
        error = null;
        if (text.Length == 0)
        {
            return true;
        }

        foreach (string item in text.Split(','))
        {
            CipherSuite? suite = item.Trim().ToLowerInvariant() switch
            {
                "aes128" or "aes128gcm" or "aes-128-gcm" or "tls_aes_128_gcm_sha256" => CipherSuite.TLS_AES_128_GCM_SHA256,
                "aes256" or "aes256gcm" or "aes-256-gcm" or "tls_aes_256_gcm_sha384" => CipherSuite.TLS_AES_256_GCM_SHA384,
                "chacha20" or "chacha20poly1305" or "chacha20-poly1305" or "tls_chacha20_poly1305_sha256" => CipherSuite.TLS_CHACHA20_POLY1305_SHA256,
                _ => null,
            };
            if (suite is null)
            {
                error = $"unknown cipher suite \"{item}\" (known: aes128, aes256, chacha20)";
                return false;
            }

            list.Add(suite.Value);
        }

        return true;
    }

    /// <summary>An ALPN list as quicgo-peer reads it (<c>strings.Split(alpn, ",")</c>), rejecting empty names.</summary>
    public static bool TryParseAlpn(string text, out IReadOnlyList<string> protocols, out string? error)
    {
        string[] items = text.Split(',');
        protocols = items;
        error = null;
        foreach (string item in items)
        {
            if (item.Length is 0 or > 255)
            {
                error = "ALPN protocol names must be 1 to 255 bytes";
                return false;
            }
        }

        return true;
    }
}
