using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AwgProxy.Quic.Tls.Certificates;

/// <summary>
/// How a client decides whether the server's certificate is acceptable: either the server's public key is
/// pinned, or its chain must lead to a given root and name the server. The only exception,
/// <see cref="DangerousAcceptAnyServerCertificate"/>, exists for interop test tools and is marked obsolete
/// (diagnostic <c>AWGQUIC0001</c>) so that any other use fails the build.
/// </summary>
public abstract class TlsServerCertificatePolicy
{
    /// <summary>The diagnostic ID of the warning a use of <see cref="DangerousAcceptAnyServerCertificate"/> raises.</summary>
    public const string AcceptAnyDiagnosticId = "AWGQUIC0001";

    private protected TlsServerCertificatePolicy()
    {
    }

    /// <summary>
    /// Accepts a server whose leaf key matches one of <paramref name="pins"/>: a DER SubjectPublicKeyInfo,
    /// or a raw 32-byte Ed25519 public key. Chain, validity dates and host name are not checked (the pin
    /// is the identity, as in WireGuard). A mismatch is bad_certificate.
    /// </summary>
    public static TlsServerCertificatePolicy PinnedPublicKeys(IEnumerable<byte[]> pins)
    {
        ArgumentNullException.ThrowIfNull(pins);
        byte[][] copy = [.. pins.Select(pin => (byte[])pin.Clone())];
        if (copy.Length == 0) throw new ArgumentException("At least one pin.", nameof(pins));
        return new PinnedPublicKeysPolicy(copy);
    }

    /// <summary>
    /// Accepts a server whose chain builds to one of <paramref name="roots"/> with
    /// <see cref="X509Chain"/> (custom root trust only, no revocation checks, no downloads, serverAuth
    /// usage) and whose leaf's subjectAltName matches the client's <see cref="TlsClientOptions.ServerName"/>.
    /// </summary>
    /// <param name="roots">The trusted roots (copied: the caller may dispose them).</param>
    /// <param name="verificationTime">
    /// The time to check validity at; null lets <see cref="X509Chain"/> read the current time (the only
    /// clock this TLS layer ever consults, and only in this policy).
    /// </param>
    public static TlsServerCertificatePolicy CertificateAuthorities(X509Certificate2Collection roots, DateTimeOffset? verificationTime = null)
    {
        ArgumentNullException.ThrowIfNull(roots);
        if (roots.Count == 0) throw new ArgumentException("At least one root.", nameof(roots));
        X509Certificate2[] copies = [.. roots.Select(root => X509CertificateLoader.LoadCertificate(root.RawData))];
        return new CertificateAuthorityPolicy(copies, verificationTime);
    }

    /// <summary>
    /// <b>Interop test tools only; never in the proxy.</b> Trusts whatever certificate the server presents:
    /// no pin, no chain, no name, no dates. The handshake still checks that the server holds the
    /// certificate's private key (CertificateVerify), but anyone can make such a certificate, so this
    /// authenticates nobody and an active attacker can read and change everything. It exists so that a
    /// test client can talk to peers with throwaway certificates, as quic-go's and ngtcp2's test clients do.
    /// Calling it raises warning <c>AWGQUIC0001</c> (an error under TreatWarningsAsErrors); a test tool
    /// suppresses it where it calls it.
    /// </summary>
    [Obsolete("Accepts any server certificate: for interop test tools only, never for the proxy.", DiagnosticId = AcceptAnyDiagnosticId)]
    public static TlsServerCertificatePolicy DangerousAcceptAnyServerCertificate() => new AcceptAnyPolicy();

    /// <summary>Whether this policy needs the server's host name.</summary>
    internal abstract bool RequiresServerName { get; }

    /// <summary>Checks <paramref name="certificate"/>; on refusal gives the alert and a reason.</summary>
    internal abstract bool Verify(TlsPeerCertificate certificate, string? serverName, out AlertDescription alert, out string reason);

    private sealed class AcceptAnyPolicy : TlsServerCertificatePolicy
    {
        internal override bool RequiresServerName => false;

        internal override bool Verify(TlsPeerCertificate certificate, string? serverName, out AlertDescription alert, out string reason)
        {
            alert = default;
            reason = "";
            return true;
        }
    }

    private sealed class PinnedPublicKeysPolicy(byte[][] pins) : TlsServerCertificatePolicy
    {
        internal override bool RequiresServerName => false;

        internal override bool Verify(TlsPeerCertificate certificate, string? serverName, out AlertDescription alert, out string reason)
        {
            foreach (byte[] pin in pins)
            {
                if (certificate.MatchesPin(pin))
                {
                    alert = default;
                    reason = "";
                    return true;
                }
            }

            alert = AlertDescription.BadCertificate;
            reason = "server public key matches no pin";
            return false;
        }
    }

    private sealed class CertificateAuthorityPolicy(X509Certificate2[] roots, DateTimeOffset? verificationTime) : TlsServerCertificatePolicy
    {
        private const string ServerAuthenticationOid = "1.3.6.1.5.5.7.3.1";

        internal override bool RequiresServerName => true;

        internal override bool Verify(TlsPeerCertificate certificate, string? serverName, out AlertDescription alert, out string reason)
        {
            var loaded = new List<X509Certificate2>();
            try
            {
                foreach (byte[] der in certificate.Chain) loaded.Add(X509CertificateLoader.LoadCertificate(der));

                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.AddRange(roots);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                chain.ChainPolicy.DisableCertificateDownloads = true;
                chain.ChainPolicy.ApplicationPolicy.Add(new Oid(ServerAuthenticationOid));
                if (verificationTime is { } time) chain.ChainPolicy.VerificationTime = time.UtcDateTime;
                for (int i = 1; i < loaded.Count; i++) chain.ChainPolicy.ExtraStore.Add(loaded[i]);

                bool built = chain.Build(loaded[0]);
                X509ChainStatusFlags status = X509ChainStatusFlags.NoError;
                foreach (X509ChainStatus element in chain.ChainStatus) status |= element.Status;
                if (!built || status != X509ChainStatusFlags.NoError)
                {
                    alert = (status & (X509ChainStatusFlags.NotTimeValid | X509ChainStatusFlags.NotTimeNested)) != 0
                        ? AlertDescription.CertificateExpired
                        : (status & (X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain)) != 0
                            ? AlertDescription.UnknownCa
                            : AlertDescription.BadCertificate;
                    reason = $"certificate chain not trusted: {status}";
                    return false;
                }

                if (serverName is null || !loaded[0].MatchesHostname(serverName, allowWildcards: true, allowCommonName: false))
                {
                    alert = AlertDescription.BadCertificate;
                    reason = $"certificate does not name '{serverName}'";
                    return false;
                }

                alert = default;
                reason = "";
                return true;
            }
            catch (CryptographicException e)
            {
                alert = AlertDescription.BadCertificate;
                reason = $"certificate not usable: {e.Message}";
                return false;
            }
            finally
            {
                foreach (X509Certificate2 item in loaded) item.Dispose();
            }
        }
    }
}
