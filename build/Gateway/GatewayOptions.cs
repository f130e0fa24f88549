using System.Security.Cryptography.X509Certificates;
using Build.Settings;

namespace Build.Gateway;

/// <summary>What the gateway client needs of the settings, and nothing more: where, with which key and trust, and how long a check may take.</summary>
public sealed record GatewayOptions(Uri Url, string? ApiKey, X509Certificate2Collection? ExtraTrust, bool Insecure, TimeSpan Deadline);

/// <summary>The gateway client's part of the settings, read where the client is built.</summary>
public static class GatewaySettings
{
    extension(VerifySettings settings)
    {
        public GatewayOptions Gateway => new(settings.GatewayUrl, settings.ApiKey, settings.ExtraTrust, settings.Insecure, settings.Deadline);
    }
}
