using AwgProxy.Quic.Connections;

namespace AwgProxy.Quic;

/// <summary>What <see cref="Endpoint.HandleDatagram"/> did with a datagram.</summary>
public enum EndpointReceiveKind
{
    /// <summary>Nothing was done with it; <see cref="EndpointReceiveResult.DropReason"/> says why.</summary>
    Dropped,

    /// <summary>It was fed to an existing connection: poll that connection.</summary>
    Routed,

    /// <summary>A client opened a connection with it (already fed): poll the new connection.</summary>
    NewConnection,

    /// <summary>The endpoint answered statelessly: send the response bytes back to the sender.</summary>
    Response,
}

/// <summary>Why a datagram was dropped (for counters).</summary>
public enum EndpointDropReason
{
    None,

    /// <summary>Empty or too short to hold a header.</summary>
    Malformed,

    /// <summary>Its connection ID routes to no connection, and nothing was answered.</summary>
    UnknownConnectionId,

    /// <summary>An unsupported QUIC version, and no Version Negotiation was sent.</summary>
    UnsupportedVersion,

    /// <summary>A client Initial in a datagram below 1200 bytes (RFC 9000 section 14.1).</summary>
    InitialTooSmall,

    /// <summary>A client Initial that could not start a connection (short Destination Connection ID, undecryptable).</summary>
    InvalidInitial,

    /// <summary>MaxConnections reached.</summary>
    ConnectionLimit,

    /// <summary>The admission callback refused the client.</summary>
    Refused,

    /// <summary>A client Initial reached an endpoint without server options.</summary>
    NotAServer,

    /// <summary>
    /// Its connection ID routes to no connection and a stateless reset would have been sent, but
    /// <see cref="EndpointOptions.MaxStatelessResetsPerSecond"/> was used up.
    /// </summary>
    StatelessResetRateLimited,
}

/// <summary>The kind of stateless answer in the response buffer.</summary>
public enum EndpointResponseKind
{
    None,
    VersionNegotiation,
    Retry,
    StatelessReset,

    /// <summary>An Initial packet closing with INVALID_TOKEN (RFC 9000 section 8.1.3).</summary>
    InvalidToken,
}

/// <summary>The outcome of <see cref="Endpoint.HandleDatagram"/>.</summary>
public readonly record struct EndpointReceiveResult(EndpointReceiveKind Kind, Connection? Connection, EndpointDropReason DropReason, EndpointResponseKind Response)
{
    internal static EndpointReceiveResult Dropped(EndpointDropReason reason) => new(EndpointReceiveKind.Dropped, null, reason, EndpointResponseKind.None);

    internal static EndpointReceiveResult Routed(Connection connection) => new(EndpointReceiveKind.Routed, connection, EndpointDropReason.None, EndpointResponseKind.None);

    internal static EndpointReceiveResult Accepted(Connection connection) => new(EndpointReceiveKind.NewConnection, connection, EndpointDropReason.None, EndpointResponseKind.None);

    internal static EndpointReceiveResult Answered(EndpointResponseKind response) => new(EndpointReceiveKind.Response, null, EndpointDropReason.None, response);
}
