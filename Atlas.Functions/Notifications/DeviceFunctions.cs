using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using Atlas.Functions.Auth;
using Atlas.Functions.Http;
using Atlas.Functions.Privacy;
using Microsoft.Azure.Functions.Worker;

namespace Atlas.Functions.Notifications;

/// <summary>The caller's devices for push notices: PUT registers or refreshes one (the app calls it whenever FCM gives
/// it a token), DELETE forgets it (sign-out). Tokens go in and never come out.</summary>
public static partial class DeviceFunctions
{
    public sealed record DeviceRequest(
        [property: Required, Description("The device's platform: android or ios.")] DevicePlatform? Platform,
        [property: Required, Description("The FCM registration token the app was given.")] string? Token);

    public sealed record DeviceView(string DeviceId, DevicePlatform Platform, DateTimeOffset UpdatedAt);

    public sealed record DeviceList(IReadOnlyList<DeviceView> Items);

    [Function("PutMyDevice")]
    [SignedIn]
    [Responds(StatusCodes.Status200OK, typeof(DeviceView))]
    [Responds(StatusCodes.Status409Conflict)]
    public static async Task<IResult> PutAsync(
        [Body] DeviceRequest request,
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "me/devices/{deviceId}")] HttpRequest http,
        string deviceId, Caller caller, Devices devices, Erasures erasures, CancellationToken ct)
    {
        if (!DeviceId().IsMatch(deviceId))
        {
            return Problems.Validation("deviceId", "deviceId is the app's id for the device: 1 to 64 letters, digits, '-' or '_'.");
        }

        if (request.Token is not { } token || !Token().IsMatch(token))
        {
            return Problems.Validation("token", "token is the FCM registration token: 1 to 4096 visible ASCII characters.");
        }

        if (await erasures.IsErasedAsync(caller.UserId, ct))
        {
            return ErasureFunctions.Erased();
        }

        if (await devices.PutAsync(caller.UserId, deviceId, request.Platform!.Value, token, ct) is not { } device)
        {
            return Results.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Too many devices",
                detail: $"A user has at most {Devices.MaxPerUser} devices: remove one (DELETE /api/me/devices/{{deviceId}}) first.",
                extensions: new Dictionary<string, object?> { ["code"] = "device-limit" });
        }

        return Results.Ok(View(device));
    }

    [Function("DeleteMyDevice")]
    [SignedIn]
    [Responds(StatusCodes.Status204NoContent)]
    [Responds(StatusCodes.Status400BadRequest)]
    public static async Task<IResult> DeleteAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "me/devices/{deviceId}")] HttpRequest http,
        string deviceId, Caller caller, Devices devices, CancellationToken ct) =>
        !DeviceId().IsMatch(deviceId) ? Problems.Validation("deviceId", "deviceId is 1 to 64 letters, digits, '-' or '_'.")
        : await devices.RemoveAsync(caller.UserId, deviceId, ct) ? Results.NoContent()
        : Problems.NotFound($"Device '{deviceId}'");

    [Function("ListMyDevices")]
    [SignedIn]
    [Responds(StatusCodes.Status200OK, typeof(DeviceList))]
    public static async Task<IResult> ListAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me/devices")] HttpRequest http,
        Caller caller, Devices devices, CancellationToken ct) =>
        Results.Ok(new DeviceList((await devices.ListAsync(caller.UserId, ct)).Select(View).ToList()));

    private static DeviceView View(Device device) => new(device.DeviceId, device.Platform, device.UpdatedAt);

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex DeviceId();

    [GeneratedRegex("^[\\x21-\\x7E]{1,4096}$")]
    private static partial Regex Token();
}
