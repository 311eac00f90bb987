namespace AwgProxy.Tunnel.Protocol;

/// <summary>The outcome of decoding a message from a buffer that may hold only part of it.</summary>
public enum DecodeStatus
{
    /// <summary>A whole, valid message was decoded; the consumed length is reported.</summary>
    Complete,

    /// <summary>The bytes so far are a valid prefix; read more and decode again. Nothing was consumed.</summary>
    NeedMoreData,

    /// <summary>The bytes can never become a valid message (protocol error). Nothing was consumed.</summary>
    Invalid,
}
