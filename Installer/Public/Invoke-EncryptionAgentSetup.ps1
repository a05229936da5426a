function Invoke-EncryptionAgentSetup {
    <#
    .SYNOPSIS
        Runs Install, Upgrade, Uninstall or Status on this server, the named servers or every transport server.
    .DESCRIPTION
        The engine behind install.ps1; see Get-Help install.ps1 -Full for every parameter. Servers are done one at a
        time, in the order given, and the first failure stops the run (servers not yet reached are left untouched).
        A remote server gets the package copied to its temporary folder and runs the same install.ps1 there, because
        Install-TransportAgent only changes the server that runs it.
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium', DefaultParameterSetName = 'ThisServer')]
    param(
        [Parameter(Position = 0)]
        [ValidateSet('Install', 'Upgrade', 'Uninstall', 'Status')]
        [string] $Action = 'Install',
        [Parameter(Mandatory)]
        [string] $PackageRoot,
        [string] $InstallPath,
        [string] $PolicyPath,
        [ValidateRange(0, 2147483647)]
        [Nullable[int]] $Priority,
        [ValidateSet('Hub', 'Edge')]
        [string] $TransportService,
        [Parameter(ParameterSetName = 'Servers', Mandatory)]
        [string[]] $Server,
        [Parameter(ParameterSetName = 'AllTransportServers', Mandatory)]
        [switch] $AllTransportServers,
        [ValidateNotNullOrEmpty()]
        [string] $ForcedTlsConnectorName = $script:DefaultConnectorName,
        [switch] $SkipForcedTlsConnector,
        [switch] $RemoveData,
        [pscredential] $Credential,
        [ValidateRange(30, 3600)]
        [int] $ServiceTimeoutSeconds = 300
    )

    $script:EndpointCredential = $Credential
    $targets = @(Resolve-TargetServer -Server $Server -AllTransportServers:$AllTransportServers -TransportService $TransportService)
    $serverParameters = Get-ServerActionParameter -BoundParameters $PSBoundParameters
    $done = New-Object System.Collections.Generic.List[string]
    foreach ($target in $targets) {
        try {
            if (Test-IsLocalServer -Name $target) {
                Invoke-ServerAction @serverParameters
            }
            else {
                Invoke-RemoteServerAction -ComputerName $target -Credential $Credential -PackageRoot $PackageRoot -Parameters $serverParameters
            }
        }
        catch {
            Write-Verbose "Where it failed: $($_.ScriptStackTrace)"
            $notReached = @($targets | Where-Object { $_ -ne $target -and -not $done.Contains($_) })
            throw (New-ServerFailure -Server $target -Action $Action -Done $done -NotReached $notReached -ErrorRecord $_)
        }
        $done.Add($target)
    }
}
