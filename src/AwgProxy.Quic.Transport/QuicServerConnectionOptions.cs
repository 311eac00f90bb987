namespace AwgProxy.Quic.Transport;

/// <summary>Options of the connections a <see cref="QuicListener"/> accepts (the shape of System.Net.Quic's QuicServerConnectionOptions).</summary>
public sealed class QuicServerConnectionOptions : QuicConnectionOptions
{
    /// <summary>TLS: the server's certificate and client authentication. Required.</summary>
    public QuicServerAuthenticationOptions? ServerAuthenticationOptions { get; set; }

    internal void Validate()
    {
        const string Owner = nameof(QuicServerConnectionOptions);
        ValidateCommon(Owner);
        if (ServerAuthenticationOptions is null) throw Invalid(Owner, nameof(ServerAuthenticationOptions), "is required");
        if (ServerAuthenticationOptions.ServerCertificate is null)
        {
            throw Invalid(Owner, $"{nameof(ServerAuthenticationOptions)}.{nameof(QuicServerAuthenticationOptions.ServerCertificate)}", "is required");
        }

        if (ServerAuthenticationOptions.ClientCertificateRequired && ServerAuthenticationOptions.ClientCertificateValidator is null)
        {
            throw Invalid(Owner, $"{nameof(ServerAuthenticationOptions)}.{nameof(QuicServerAuthenticationOptions.ClientCertificateValidator)}", "is required when client certificates are required");
        }
    }
}
