using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using AwgProxy.Socks5.Protocol;

namespace AwgProxy.Socks5;

/// <summary>
/// One client connection: handshake (greeting, RFC 1929 authentication, request), the command, then the
/// relay. Every failure that has a SOCKS answer gets it before the connection closes.
/// </summary>
internal sealed class Socks5Session
{
    /// <summary>Room for the largest reply (VER, REP, RSV, ATYP, a 255-octet domain, port: 262 octets).</summary>
    private const int OutputBufferSize = 512;

    /// <summary>Bound on sending a failure answer, so that a client that never reads cannot hold the session.</summary>
    private static readonly TimeSpan s_failureAnswerTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Bound on the lingering close after a failure answer (see <see cref="LingerAsync"/>).</summary>
    private static readonly TimeSpan s_lingerTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Most bytes read and dropped during the lingering close.</summary>
    private const int LingerDrainLimit = 4096;

    private readonly Socks5ServerContext _context;
    private readonly Socket _client;
    private readonly IPEndPoint _clientEndPoint;
    private readonly IPEndPoint _serverEndPoint;
    private Socks5InputBuffer? _input;
    private byte[]? _output;
    private Socks5HandshakeStage _stage;
    private string? _userName;
    private Socks5Request? _request;
    private long _bytesIn;
    private long _bytesOut;

    public Socks5Session(Socks5ServerContext context, Socket client, long id, IPEndPoint listenEndPoint)
    {
        _context = context;
        _client = client;
        Id = id;
        _clientEndPoint = GetEndPoint(client, remote: true) ?? new IPEndPoint(IPAddress.Any, 0);
        _serverEndPoint = GetEndPoint(client, remote: false) ?? listenEndPoint;
    }

    public long Id { get; }

    /// <summary>Completes when the session has ended and released everything; never faults.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    /// <summary>Starts the session on the thread pool (never inline on the accept loop).</summary>
    public void Start() => Completion = RunAsync();

    private async Task RunAsync()
    {
        await Task.Yield();
        long started = _context.TimeProvider.GetTimestamp();
        _context.Metrics?.SessionStarted();
        Socks5Log.SessionOpened(_context.Logger, Id, _clientEndPoint, _serverEndPoint);
        Socks5SessionOutcome outcome = Socks5SessionOutcome.Faulted;
        try
        {
            _client.NoDelay = true;
            _input = new Socks5InputBuffer();
            _output = ArrayPool<byte>.Shared.Rent(OutputBufferSize);
            outcome = await RunCoreAsync().ConfigureAwait(false);
            if (EndedWithFailureAnswer(outcome) && !_context.ShutdownToken.IsCancellationRequested)
            {
                await LingerAsync().ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            Socks5Log.SessionFaulted(_context.Logger, Id, ex);
        }
        finally
        {
            ReleaseHandshakeBuffers();
            _client.Dispose();
            _context.Metrics?.SessionEnded();
            long durationMs = (long)_context.TimeProvider.GetElapsedTime(started).TotalMilliseconds;
            if (_request is { } request)
            {
                Socks5Log.SessionClosed(
                    _context.Logger,
                    Id,
                    _clientEndPoint,
                    outcome,
                    _userName,
                    request.Command,
                    request.DestinationAddress,
                    request.DestinationPort,
                    _bytesIn,
                    _bytesOut,
                    durationMs);
            }
            else
            {
                Socks5Log.SessionClosedBeforeRequest(_context.Logger, Id, _clientEndPoint, outcome, durationMs);
            }
            _context.SessionEnded(this);
        }
    }

    private async Task<Socks5SessionOutcome> RunCoreAsync()
    {
        Socks5SessionOutcome? failure;
        using (var deadline = new Socks5Deadline(_context.HandshakeTimeout, _context.TimeProvider, _context.ShutdownToken))
        {
            try
            {
                failure = await HandshakeAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (deadline.Token.IsCancellationRequested)
            {
                if (!deadline.TimedOut)
                {
                    await SendStageFailureAsync(Socks5ReplyCode.GeneralFailure).ConfigureAwait(false);
                    return Socks5SessionOutcome.ServerShutdown;
                }

                Socks5Log.HandshakeTimedOut(_context.Logger, Id, _clientEndPoint, _context.HandshakeTimeout, _stage);
                _context.Metrics?.HandshakeFailed(Socks5MetricReasons.Timeout);
                if (_stage == Socks5HandshakeStage.Request)
                {
                    _context.Metrics?.RequestAnswered(PartialCommand(), Socks5ReplyCode.TtlExpired);
                }

                await SendStageFailureAsync(Socks5ReplyCode.TtlExpired).ConfigureAwait(false);
                return Socks5SessionOutcome.HandshakeTimeout;
            }
            catch (SocketException ex)
            {
                Socks5Log.ClientClosedDuringHandshake(_context.Logger, Id, _stage, ex);
                _context.Metrics?.HandshakeFailed(Socks5MetricReasons.ClientClosed);
                return Socks5SessionOutcome.ClientClosedDuringHandshake;
            }
        }

        if (failure is Socks5SessionOutcome outcome)
        {
            return outcome;
        }

        Socks5Request request = _request!.Value;
        switch (request.Command)
        {
            case Socks5Command.Connect:
                return await ConnectAsync(request).ConfigureAwait(false);
            case Socks5Command.UdpAssociate when _context.UdpAssociateHandler is not null:
                return await UdpAssociateAsync(request, _context.UdpAssociateHandler).ConfigureAwait(false);
            default:
                Socks5Log.CommandNotSupported(_context.Logger, Id, request.Command);
                return await RefuseAsync(request, Socks5ReplyCode.CommandNotSupported, TimeSpan.Zero).ConfigureAwait(false);
        }
    }

    /// <summary>Greeting, authentication and request. Null when a request was read into <see cref="_request"/>.</summary>
    private async Task<Socks5SessionOutcome?> HandshakeAsync(CancellationToken cancellationToken)
    {
        // Greeting (RFC 1928 §3).
        _stage = Socks5HandshakeStage.Greeting;
        MethodSelectionRequest greeting;
        while (true)
        {
            Socks5ParseResult result = MethodSelectionRequest.TryParse(_input!.Data, out greeting);
            if (result.Status == Socks5ParseStatus.Complete)
            {
                _input.Consume(result.BytesConsumed);
                break;
            }

            if (result.Status == Socks5ParseStatus.Invalid)
            {
                // Not SOCKS5: no answer the client would understand exists.
                return ProtocolError(result.Reason!);
            }

            if (!await ReceiveAsync(cancellationToken).ConfigureAwait(false))
            {
                return ClientClosed();
            }
        }

        if (!greeting.Offers(Socks5AuthMethod.UsernamePassword))
        {
            Socks5Log.NoAcceptableMethod(_context.Logger, Id, _clientEndPoint, greeting.MethodCount);
            _context.Metrics?.AuthenticationFailed(Socks5MetricReasons.NoAcceptableMethod);
            await SendAsync(new MethodSelectionReply(Socks5AuthMethod.NoAcceptableMethods).Write(Output), cancellationToken).ConfigureAwait(false);
            return Socks5SessionOutcome.NoAcceptableMethod;
        }

        // Username/password authentication (RFC 1929). The stage moves on before the answer goes out, so that a
        // timeout that fires once the client has it is answered in the stage the client is in.
        _stage = Socks5HandshakeStage.Authentication;
        await SendAsync(new MethodSelectionReply(Socks5AuthMethod.UsernamePassword).Write(Output), cancellationToken).ConfigureAwait(false);
        while (true)
        {
            AuthenticationStep step = TryAuthenticate(out string? reason);
            if (step == AuthenticationStep.Succeeded)
            {
                Socks5Log.AuthenticationSucceeded(_context.Logger, Id, _userName!);
                _stage = Socks5HandshakeStage.Request;
                await SendAsync(UsernamePasswordResponse.Success.Write(Output), cancellationToken).ConfigureAwait(false);
                break;
            }

            if (step == AuthenticationStep.Malformed)
            {
                await SendAsync(UsernamePasswordResponse.Failure.Write(Output), cancellationToken).ConfigureAwait(false);
                return ProtocolError(reason!);
            }

            if (step == AuthenticationStep.Failed)
            {
                _context.Metrics?.AuthenticationFailed(Socks5MetricReasons.InvalidCredentials);
                await SendAsync(UsernamePasswordResponse.Failure.Write(Output), cancellationToken).ConfigureAwait(false);
                return Socks5SessionOutcome.AuthenticationFailed;
            }

            if (!await ReceiveAsync(cancellationToken).ConfigureAwait(false))
            {
                return ClientClosed();
            }
        }

        // Request (RFC 1928 §4).
        while (true)
        {
            Socks5ParseResult result = Socks5Request.TryParse(_input.Data, out Socks5Request request);
            if (result.Status == Socks5ParseStatus.Complete)
            {
                _input.Consume(result.BytesConsumed);
                _request = request;
                return null;
            }

            if (result.Status == Socks5ParseStatus.Invalid)
            {
                _context.Metrics?.RequestAnswered(PartialCommand(), result.ReplyCode);
                await SendAsync(Socks5Reply.Failure(result.ReplyCode).Write(Output), cancellationToken).ConfigureAwait(false);
                return ProtocolError(result.Reason!);
            }

            if (!await ReceiveAsync(cancellationToken).ConfigureAwait(false))
            {
                return ClientClosed();
            }
        }
    }

    private enum AuthenticationStep
    {
        NeedMoreData,
        Malformed,
        Failed,
        Succeeded,
    }

    /// <summary>Parses and checks the RFC 1929 request synchronously: the password stays a view into the buffer.</summary>
    private AuthenticationStep TryAuthenticate(out string? reason)
    {
        reason = null;
        Socks5ParseResult result = UsernamePasswordRequest.TryParse(_input!.Data, out UsernamePasswordRequest request);
        switch (result.Status)
        {
            case Socks5ParseStatus.NeedMoreData:
                return AuthenticationStep.NeedMoreData;
            case Socks5ParseStatus.Invalid:
                reason = result.Reason;
                return AuthenticationStep.Malformed;
        }

        string? userName = _context.Credentials.Authenticate(request.UserName, request.Password);
        if (userName is null)
        {
            Socks5Log.AuthenticationFailed(_context.Logger, Id, _clientEndPoint, Encoding.UTF8.GetString(request.UserName));
        }

        _input.Consume(result.BytesConsumed);
        _userName = userName;
        return userName is null ? AuthenticationStep.Failed : AuthenticationStep.Succeeded;
    }

    private async Task<Socks5SessionOutcome> ConnectAsync(Socks5Request request)
    {
        long started = _context.TimeProvider.GetTimestamp();
        var connectRequest = new Socks5ConnectRequest(
            Id, _userName!, _clientEndPoint, _serverEndPoint, request.DestinationAddress, request.DestinationPort);

        Socks5ConnectResult? result;
        using (var deadline = new Socks5Deadline(_context.ConnectTimeout, _context.TimeProvider, _context.ShutdownToken))
        {
            try
            {
                result = await _context.ConnectHandler.ConnectAsync(connectRequest, deadline.Token).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                result = Socks5ConnectResult.Failure(ClassifyHandlerFailure(request, deadline, ex));
            }
        }

        if (result is null)
        {
            Socks5Log.HandlerFaulted(_context.Logger, Id, request.Command, Socks5ReplyCode.GeneralFailure, new InvalidOperationException("The connect handler returned null."));
            result = Socks5ConnectResult.Failure(Socks5ReplyCode.GeneralFailure);
        }

        if (!result.Succeeded)
        {
            return await RefuseAsync(request, result.ReplyCode, _context.TimeProvider.GetElapsedTime(started)).ConfigureAwait(false);
        }

        ISocks5Upstream upstream = result.Upstream;
        try
        {
            if (_context.ShutdownToken.IsCancellationRequested)
            {
                upstream.Abort();
                await RefuseAsync(request, Socks5ReplyCode.GeneralFailure, _context.TimeProvider.GetElapsedTime(started)).ConfigureAwait(false);
                return Socks5SessionOutcome.ServerShutdown;
            }

            var reply = new Socks5Reply(Socks5ReplyCode.Succeeded, result.BoundAddress, result.BoundPort);
            try
            {
                await SendAsync(reply.Write(Output), _context.AbortToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException)
            {
                upstream.Abort();
                Socks5Log.RelayAborted(_context.Logger, Id, Socks5SessionOutcome.ClientAborted, ex);
                return _context.AbortToken.IsCancellationRequested ? Socks5SessionOutcome.ServerShutdown : Socks5SessionOutcome.ClientAborted;
            }

            TimeSpan duration = _context.TimeProvider.GetElapsedTime(started);
            _context.Metrics?.RequestAnswered((byte)request.Command, Socks5ReplyCode.Succeeded);
            _context.Metrics?.ConnectCompleted(Socks5ReplyCode.Succeeded, duration);
            Socks5Log.RequestSucceeded(_context.Logger, Id, request.Command, request.DestinationAddress, request.DestinationPort, duration.TotalMilliseconds);
            return await RelayAsync(upstream).ConfigureAwait(false);
        }
        finally
        {
            try
            {
                await upstream.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                Socks5Log.UpstreamDisposeFailed(_context.Logger, Id, ex);
            }
        }
    }

    private async Task<Socks5SessionOutcome> RelayAsync(ISocks5Upstream upstream)
    {
        // Bytes the client sent right behind its request (optimistic data) go first.
        int early = _input!.Length;
        if (early > 0)
        {
            try
            {
                await upstream.Stream.WriteAsync(_input.DataMemory, _context.AbortToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                upstream.Abort();
                _client.ResetAndDispose();
                Socks5SessionOutcome failed = _context.AbortToken.IsCancellationRequested ? Socks5SessionOutcome.ServerShutdown : Socks5SessionOutcome.UpstreamAborted;
                Socks5Log.RelayAborted(_context.Logger, Id, failed, ex);
                return failed;
            }

            _context.Metrics?.BytesIn(early);
        }

        ReleaseHandshakeBuffers();
        var relay = new Socks5Relay(
            _client, upstream, _context.RelayBufferSize, _context.TimeProvider, _context.IdleTimeout, _context.Metrics, _context.AbortToken);
        Socks5SessionOutcome outcome;
        try
        {
            outcome = await relay.RunAsync().ConfigureAwait(false);
        }
        finally
        {
            _bytesIn = early + relay.BytesIn;
            _bytesOut = relay.BytesOut;
        }

        if (outcome == Socks5SessionOutcome.IdleTimeout)
        {
            Socks5Log.RelayIdleTimeout(_context.Logger, Id, _context.IdleTimeout!.Value);
        }
        else if (outcome != Socks5SessionOutcome.Completed)
        {
            Socks5Log.RelayAborted(_context.Logger, Id, outcome, relay.Error);
        }

        return outcome;
    }

    private async Task<Socks5SessionOutcome> UdpAssociateAsync(Socks5Request request, ISocks5UdpAssociateHandler handler)
    {
        long started = _context.TimeProvider.GetTimestamp();
        var associateRequest = new Socks5UdpAssociateRequest(
            Id, _userName!, _clientEndPoint, _serverEndPoint, request.DestinationAddress, request.DestinationPort);

        Socks5UdpAssociateResult? result;
        using (var deadline = new Socks5Deadline(_context.ConnectTimeout, _context.TimeProvider, _context.ShutdownToken))
        {
            try
            {
                result = await handler.AssociateAsync(associateRequest, deadline.Token).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                result = Socks5UdpAssociateResult.Failure(ClassifyHandlerFailure(request, deadline, ex));
            }
        }

        if (result is null)
        {
            Socks5Log.HandlerFaulted(_context.Logger, Id, request.Command, Socks5ReplyCode.GeneralFailure, new InvalidOperationException("The UDP associate handler returned null."));
            result = Socks5UdpAssociateResult.Failure(Socks5ReplyCode.GeneralFailure);
        }

        if (!result.Succeeded)
        {
            return await RefuseAsync(request, result.ReplyCode, _context.TimeProvider.GetElapsedTime(started)).ConfigureAwait(false);
        }

        try
        {
            var reply = new Socks5Reply(Socks5ReplyCode.Succeeded, result.RelayAddress, result.RelayPort);
            await SendAsync(reply.Write(Output), _context.AbortToken).ConfigureAwait(false);
            _context.Metrics?.RequestAnswered((byte)request.Command, Socks5ReplyCode.Succeeded);
            Socks5Log.RequestSucceeded(_context.Logger, Id, request.Command, request.DestinationAddress, request.DestinationPort, _context.TimeProvider.GetElapsedTime(started).TotalMilliseconds);

            // The association lives as long as this TCP connection (RFC 1928 §7): read and discard until it ends.
            while (await ReceiveAndDiscardAsync(_context.AbortToken).ConfigureAwait(false))
            {
            }

            return Socks5SessionOutcome.UdpAssociationEnded;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            return _context.AbortToken.IsCancellationRequested ? Socks5SessionOutcome.ServerShutdown : Socks5SessionOutcome.UdpAssociationEnded;
        }
        finally
        {
            try
            {
                await result.Association.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                Socks5Log.UpstreamDisposeFailed(_context.Logger, Id, ex);
            }
        }
    }

    private Socks5ReplyCode ClassifyHandlerFailure(Socks5Request request, Socks5Deadline deadline, Exception exception)
    {
        if (exception is OperationCanceledException && deadline.Token.IsCancellationRequested)
        {
            if (deadline.TimedOut)
            {
                Socks5Log.RequestTimedOut(_context.Logger, Id, request.Command, request.DestinationAddress, request.DestinationPort, _context.ConnectTimeout);
                return Socks5ReplyCode.TtlExpired;
            }

            return Socks5ReplyCode.GeneralFailure;
        }

        Socks5ReplyCode code = exception is SocketException socketException
            ? socketException.SocketErrorCode.ToSocks5ReplyCode()
            : Socks5ReplyCode.GeneralFailure;
        Socks5Log.HandlerFaulted(_context.Logger, Id, request.Command, code, exception);
        return code;
    }

    /// <summary>Answers <paramref name="request"/> with a failure code, best effort, and records it.</summary>
    private async Task<Socks5SessionOutcome> RefuseAsync(Socks5Request request, Socks5ReplyCode replyCode, TimeSpan duration)
    {
        _context.Metrics?.RequestAnswered((byte)request.Command, replyCode);
        if (request.Command == Socks5Command.Connect)
        {
            _context.Metrics?.ConnectCompleted(replyCode, duration);
        }

        if (replyCode != Socks5ReplyCode.CommandNotSupported)
        {
            Socks5Log.RequestFailed(_context.Logger, Id, request.Command, request.DestinationAddress, request.DestinationPort, replyCode);
        }

        await SendStageFailureAsync(replyCode).ConfigureAwait(false);
        return Socks5SessionOutcome.RequestFailed;
    }

    /// <summary>
    /// Sends the current stage's failure answer, if it has one, within a short bound: a reply with
    /// <paramref name="replyCode"/> in the request stage, STATUS X'01' in the authentication stage, nothing
    /// for the greeting (no SOCKS5 answer means "failed" there).
    /// </summary>
    private async Task SendStageFailureAsync(Socks5ReplyCode replyCode)
    {
        int length;
        switch (_stage)
        {
            case Socks5HandshakeStage.Authentication:
                length = UsernamePasswordResponse.Failure.Write(Output);
                break;
            case Socks5HandshakeStage.Request:
                length = Socks5Reply.Failure(replyCode).Write(Output);
                break;
            default:
                return;
        }

        using var deadline = new Socks5Deadline(s_failureAnswerTimeout, _context.TimeProvider, _context.AbortToken);
        try
        {
            await SendAsync(length, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            // The client is gone or not reading; it is being closed either way.
        }
    }

    private Socks5SessionOutcome ProtocolError(string reason)
    {
        Socks5Log.ProtocolError(_context.Logger, Id, _clientEndPoint, _stage, reason);
        if (_stage == Socks5HandshakeStage.Authentication)
        {
            _context.Metrics?.AuthenticationFailed(Socks5MetricReasons.Malformed);
        }
        else
        {
            _context.Metrics?.HandshakeFailed(Socks5MetricReasons.ProtocolError);
        }

        return Socks5SessionOutcome.ProtocolError;
    }

    /// <summary>
    /// Lingering close after a failure answer: send FIN, then read and drop what the client still sends until it
    /// closes too (bounded in time and bytes). Closing a socket with unread bytes makes the kernel send RST,
    /// which may overtake the answer, so the client would see "connection reset" instead of the answer. A
    /// stopping server does not linger.
    /// </summary>
    private async Task LingerAsync()
    {
        using var deadline = new Socks5Deadline(s_lingerTimeout, _context.TimeProvider, _context.ShutdownToken);
        try
        {
            _client.Shutdown(SocketShutdown.Send);
            int drained = 0;
            while (drained < LingerDrainLimit)
            {
                _input!.Consume(_input.Length);
                Memory<byte> free = _input.GetFreeMemory();
                int read = await _client.ReceiveAsync(free, SocketFlags.None, deadline.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    return;
                }

                drained += read;
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client is gone, or took too long: close anyway.
        }
    }

    /// <summary>Whether the session ended by answering a failure (or closing on a malformed greeting) in the handshake or request.</summary>
    private static bool EndedWithFailureAnswer(Socks5SessionOutcome outcome) => outcome is
        Socks5SessionOutcome.HandshakeTimeout or
        Socks5SessionOutcome.ProtocolError or
        Socks5SessionOutcome.NoAcceptableMethod or
        Socks5SessionOutcome.AuthenticationFailed or
        Socks5SessionOutcome.RequestFailed;

    /// <summary>CMD of a request that is not (yet) whole, for metrics; 0 ("unknown") if not received.</summary>
    private byte PartialCommand() => _input is { Length: > 1 } input ? input.Data[1] : (byte)0;

    private Socks5SessionOutcome ClientClosed()
    {
        Socks5Log.ClientClosedDuringHandshake(_context.Logger, Id, _stage, null);
        _context.Metrics?.HandshakeFailed(Socks5MetricReasons.ClientClosed);
        return Socks5SessionOutcome.ClientClosedDuringHandshake;
    }

    /// <summary>Reads more handshake bytes; false when the client closed its side.</summary>
    private async ValueTask<bool> ReceiveAsync(CancellationToken cancellationToken)
    {
        Memory<byte> free = _input!.GetFreeMemory();
        if (free.IsEmpty)
        {
            // Cannot happen: the buffer holds more than twice the largest message.
            throw new InvalidOperationException("The handshake buffer is full.");
        }

        int read = await _client.ReceiveAsync(free, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        _input.Advance(read);
        return read > 0;
    }

    private async ValueTask<bool> ReceiveAndDiscardAsync(CancellationToken cancellationToken)
    {
        _input!.Consume(_input.Length);
        return await ReceiveAsync(cancellationToken).ConfigureAwait(false);
    }

    private byte[] Output => _output ?? throw new InvalidOperationException("The handshake buffers were released.");

    private ValueTask<int> SendAsync(int length, CancellationToken cancellationToken) =>
        _client.SendAsync(Output.AsMemory(0, length), SocketFlags.None, cancellationToken);

    private void ReleaseHandshakeBuffers()
    {
        _input?.Dispose();
        _input = null;
        byte[]? output = _output;
        _output = null;
        if (output is not null)
        {
            ArrayPool<byte>.Shared.Return(output);
        }
    }

    private static IPEndPoint? GetEndPoint(Socket socket, bool remote)
    {
        try
        {
            return (remote ? socket.RemoteEndPoint : socket.LocalEndPoint) as IPEndPoint;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return null;
        }
    }
}
