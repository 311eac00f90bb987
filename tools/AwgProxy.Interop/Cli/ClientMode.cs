namespace AwgProxy.Interop.Cli;

/// <summary>quicgo-peer's <c>client -mode</c>.</summary>
public enum ClientMode
{
    /// <summary>Download: "GET n\n" (raw) or GET /n (h3).</summary>
    Get,

    /// <summary>Upload: "PUT\n", n bytes, FIN; the server answers "OK n\n".</summary>
    Put,

    /// <summary>"ECHO\n", n bytes, FIN; the server returns the same bytes.</summary>
    Echo,

    /// <summary>Handshake only, no streams.</summary>
    Handshake,
}
