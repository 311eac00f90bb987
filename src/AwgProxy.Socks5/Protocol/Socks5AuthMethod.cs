namespace AwgProxy.Socks5.Protocol;

/// <summary>METHOD values of the method selection messages (RFC 1928 §3).</summary>
public enum Socks5AuthMethod : byte
{
    /// <summary>X'00' NO AUTHENTICATION REQUIRED. Offered by clients; never chosen by this server.</summary>
    NoAuthenticationRequired = 0x00,

    /// <summary>X'01' GSSAPI (RFC 1961). Not supported.</summary>
    Gssapi = 0x01,

    /// <summary>X'02' USERNAME/PASSWORD (RFC 1929).</summary>
    UsernamePassword = 0x02,

    /// <summary>X'FF' NO ACCEPTABLE METHODS: the client must close the connection.</summary>
    NoAcceptableMethods = 0xFF,
}
