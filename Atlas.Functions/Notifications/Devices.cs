using System.Security.Cryptography;
using System.Text;
using Atlas.Functions.Storage;

namespace Atlas.Functions.Notifications;

public enum DevicePlatform
{
    Android,
    Ios,
}

/// <summary>A phone the user's notices are pushed to. The token is FCM's registration token: it leaves Atlas only for FCM.</summary>
public sealed record Device(string UserId, string DeviceId, DevicePlatform Platform, string Token, DateTimeOffset UpdatedAt);

/// <summary>
/// Each user's devices (a partition per user, at most <see cref="MaxPerUser"/>), and which device holds each token: a
/// token registered by a second user (a phone changing hands) leaves the first, so nobody gets another's notices.
/// </summary>
public sealed class Devices(ITableStore tables, TimeProvider clock)
{
    public const string Table = "Devices";
    public const string TokenTable = "DeviceTokens";
    public const int MaxPerUser = 10;

    public async Task<IReadOnlyList<Device>> ListAsync(string userId, CancellationToken ct) =>
        (await tables.QueryPageAsync(Table, userId, "", null, MaxPerUser + 1, ct)).Select(Read).ToList();

    /// <returns>The device, or null when the user has <see cref="MaxPerUser"/> others already.</returns>
    public async Task<Device?> PutAsync(string userId, string deviceId, DevicePlatform platform, string token, CancellationToken ct)
    {
        var mine = await ListAsync(userId, ct);
        if (mine.All(d => d.DeviceId != deviceId) && mine.Count >= MaxPerUser)
        {
            return null;
        }

        var owner = await tables.GetAsync(TokenTable, TokenKey(token), "owner", ct);
        if (owner?.GetString("UserId") is { } otherUser && owner.GetString("DeviceId") is { } otherDevice && (otherUser, otherDevice) != (userId, deviceId))
        {
            await RemoveIfTokenAsync(otherUser, otherDevice, token, ct);
        }

        var device = new Device(userId, deviceId, platform, token, clock.GetUtcNow());
        await tables.WriteAsync(TokenTable, TableOperation.Upsert(new TableRow(TokenKey(token), "owner", new Dictionary<string, object?> { ["UserId"] = userId, ["DeviceId"] = deviceId })), ct);
        var write = await tables.WriteAsync(Table, TableOperation.Upsert(new TableRow(userId, deviceId, new Dictionary<string, object?>
        {
            ["Platform"] = platform.ToString(),
            ["Token"] = token,
            ["UpdatedAt"] = device.UpdatedAt,
        })), ct);
        return write.Succeeded ? device : throw new InvalidOperationException($"Saving a device failed: {write.Status}.");
    }

    /// <returns>False if the user has no such device.</returns>
    public async Task<bool> RemoveAsync(string userId, string deviceId, CancellationToken ct)
    {
        if (await tables.GetAsync(Table, userId, deviceId, ct) is not { } row)
        {
            return false;
        }

        await RemoveIfTokenAsync(userId, deviceId, row.GetString("Token")!, ct);
        return true;
    }

    /// <summary>Forgets all the user's devices and their tokens.</summary>
    public async Task RemoveAllAsync(string userId, CancellationToken ct)
    {
        foreach (var device in await ListAsync(userId, ct))
        {
            await RemoveIfTokenAsync(userId, device.DeviceId, device.Token, ct);
        }
    }

    /// <summary>Removes the device if it still holds <paramref name="token"/> (it may have registered a new one since
    /// a send found the old one dead).</summary>
    public async Task RemoveIfTokenAsync(string userId, string deviceId, string token, CancellationToken ct)
    {
        if (await tables.GetAsync(Table, userId, deviceId, ct) is { } row && row.GetString("Token") == token)
        {
            await tables.WriteAsync(Table, TableOperation.Delete(userId, deviceId, row.ETag!), ct);
        }

        if (await tables.GetAsync(TokenTable, TokenKey(token), "owner", ct) is { } owner
            && owner.GetString("UserId") == userId && owner.GetString("DeviceId") == deviceId)
        {
            await tables.WriteAsync(TokenTable, TableOperation.Delete(owner.PartitionKey, owner.RowKey, owner.ETag!), ct);
        }
    }

    /// <summary>Tokens are long and may hold characters a key may not: the index is by their hash.</summary>
    private static string TokenKey(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static Device Read(TableRow row) => new(
        row.PartitionKey, row.RowKey, Enum.Parse<DevicePlatform>(row.GetString("Platform")!), row.GetString("Token")!, row.GetTime("UpdatedAt")!.Value);
}
