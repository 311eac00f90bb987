namespace AwgProxy.Quic.Tls;

/// <summary>Whether a traffic secret protects packets this endpoint receives or sends.</summary>
public enum TlsSecretDirection
{
    /// <summary>The peer's sending secret: use it to remove packet protection.</summary>
    Read,

    /// <summary>This endpoint's sending secret: use it to apply packet protection.</summary>
    Write,
}
