namespace Atlas.Demo;

/// <summary>Who and what the demo made, printed as shell variables so the walk can go on with curl.</summary>
public sealed record Cast(
    Uri Api, Person Admin, string CompanyId, Person CompanyAdmin, Person Rider, Person Driver, string VehicleId, string BookingId, string RideId)
{
    public void Print(TextWriter output)
    {
        output.WriteLine();
        output.WriteLine("Go on from here with curl: paste these into your shell (access tokens last 15 minutes;");
        output.WriteLine("POST $API/auth/refresh {\"refreshToken\":\"$RIDER_REFRESH\"} gives a new one). The platform admin's refresh");
        output.WriteLine("token stays with the demo: it is single-use, and the next run refreshes it.");
        output.WriteLine();
        output.WriteLine($"export API={Api.ToString().TrimEnd('/')}");
        output.WriteLine($"export ADMIN_TOKEN={Admin.AccessToken}");
        output.WriteLine($"export COMPANY={CompanyId} COMPANY_ADMIN_TOKEN={CompanyAdmin.AccessToken} COMPANY_ADMIN_REFRESH={CompanyAdmin.RefreshToken}");
        output.WriteLine($"export RIDER_TOKEN={Rider.AccessToken} RIDER_REFRESH={Rider.RefreshToken}");
        output.WriteLine($"export DRIVER_TOKEN={Driver.AccessToken} DRIVER_REFRESH={Driver.RefreshToken} VEHICLE={VehicleId}");
        output.WriteLine($"export BOOKING={BookingId} RIDE={RideId}");
        output.WriteLine();
        output.WriteLine("curl -s $API/rides/$RIDE -H \"Authorization: Bearer $RIDER_TOKEN\"");
        output.WriteLine("curl -s -X POST $API/rides/$RIDE/tip -H \"Authorization: Bearer $RIDER_TOKEN\" -H 'content-type: application/json' -d '{\"amount\":300}'");
    }
}
