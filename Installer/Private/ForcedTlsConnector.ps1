# Steps: the forced-TLS send connector.

function Sync-ForcedTlsConnector {
    # Create or update the send connector the agent routes forced-TLS recipients to (RoutingOverride to the policy's
    # address space, UseRecipientDomain): it must exist before the agent runs, or those messages wait in Unreachable.
    # The connector is shared by every server: this server adds itself with Set-SendConnector's add form
    # (@{Add=...}), never by writing the whole list, so servers installed one after another never drop each other.
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param(
        [Parameter(Mandatory)] $Setup,
        [Parameter(Mandatory)] $Policy,
        [Parameter(Mandatory)][string] $Name,
        [switch] $Skip
    )

    if ($Skip -or $null -eq $Policy.ForcedTls) {
        return
    }
    if ($Setup.TransportService -eq 'Edge') {
        # SourceTransportServers is not valid on an Edge server, and a subscribed Edge server gets its send
        # connectors from the organisation through EdgeSync (a connector made here would be replaced).
        Write-Warning "Edge Transport server: the forced-TLS send connector '$Name' is not created here. Create it in the organisation with the Edge subscription as its source, or on a standalone Edge server by hand (docs/operations.md, 'Mailbox or Edge')."
        return
    }
    $connector = Get-ForcedTlsConnector -Name $Name
    $desired = Get-DesiredConnectorSetting -ForcedTls $Policy.ForcedTls -Connector $connector
    if ($null -eq $connector) {
        $description = "Create send connector '$Name' for $($desired.AddressSpaces) (RequireTLS, DomainValidation) with source server $($Setup.ServerName)"
        if ($PSCmdlet.ShouldProcess($description, 'Create send connector')) {
            New-SendConnector -Name $Name -Usage Custom @desired -SourceTransportServers @($Setup.ServerName)
        }
        return $description
    }
    $drift = @(Get-ConnectorDrift -Connector $connector -Desired $desired)
    if ($drift.Count -gt 0) {
        $description = "Update send connector '$Name' ($($drift -join ', ')): $($desired.AddressSpaces), RequireTLS, DomainValidation, enabled, STARTTLS not ignored"
        if ($PSCmdlet.ShouldProcess($description, 'Update send connector')) {
            Set-SendConnector -Identity $Name @desired
        }
        $description
    }
    if (-not (Test-ConnectorHasServer -Connector $connector -ServerName $Setup.ServerName)) {
        $description = "Add $($Setup.ServerName) to the source servers of send connector '$Name'"
        if ($PSCmdlet.ShouldProcess($description, 'Update send connector')) {
            Set-SendConnector -Identity $Name -SourceTransportServers @{ Add = $Setup.ServerName }
        }
        $description
    }
}

function Get-ConnectorCmdlet {
    # The send connector cmdlets Install and Upgrade may call: none on Edge, with -SkipForcedTlsConnector, or for a
    # policy without a forced-TLS address space.
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Setup,
        [Parameter(Mandatory)] $Policy,
        [switch] $Skip
    )

    if ($Skip -or $null -eq $Policy.ForcedTls -or $Setup.TransportService -eq 'Edge') {
        return @()
    }
    @('New-SendConnector', 'Set-SendConnector')
}

function Get-DesiredConnectorSetting {
    # Everything forced TLS needs from the connector except its source servers, which each server adds or removes
    # itself. Enabled and IgnoreSTARTTLS are part of it: a disabled connector, or one that ignores STARTTLS, would
    # hold or downgrade exactly the mail that must go out over TLS.
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $ForcedTls,
        $Connector
    )

    $settings = @{
        AddressSpaces     = "SMTP:$($ForcedTls.AddressSpace);1"
        RequireTLS        = $true
        TlsAuthLevel      = 'DomainValidation'
        DNSRoutingEnabled = $true
        Enabled           = $true
        IgnoreSTARTTLS    = $false
    }
    # No TlsDomain: the certificate is matched against the recipient's domain, which is what forced TLS to the
    # recipient's own MX wants. A policy may name one (a partner's hosting provider).
    if ($ForcedTls.TlsDomain -or ($null -ne $Connector -and (Get-PropertyOrNull $Connector 'TlsDomain'))) {
        $settings['TlsDomain'] = $ForcedTls.TlsDomain
    }
    $settings
}

function Get-ConnectorDrift {
    # The names of the settings an existing connector does not have as desired. Microsoft documents no output
    # properties for Get-SendConnector, and a deserialized copy differs from the live object, so every property is
    # read defensively: one that cannot be read counts as drift (and is set), it never fails the run.
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Connector,
        [Parameter(Mandatory)][hashtable] $Desired
    )

    $spaces = @(Get-PropertyOrNull $Connector 'AddressSpaces' | Where-Object { $null -ne $_ } | ForEach-Object { ConvertTo-AddressSpaceText -AddressSpace $_ })
    if ($spaces.Count -ne 1 -or $spaces[0] -ne $Desired.AddressSpaces) {
        'AddressSpaces'
    }
    foreach ($flag in @('RequireTLS', 'DNSRoutingEnabled', 'Enabled', 'IgnoreSTARTTLS')) {
        $value = Get-PropertyOrNull $Connector $flag
        if ($null -eq $value -or [bool]$value -ne [bool]$Desired[$flag]) {
            $flag
        }
    }
    if ([string](Get-PropertyOrNull $Connector 'TlsAuthLevel') -ne $Desired.TlsAuthLevel) {
        'TlsAuthLevel'
    }
    if ([string](Get-PropertyOrNull $Connector 'TlsDomain') -ne [string]$Desired['TlsDomain']) {
        'TlsDomain'
    }
}

function ConvertTo-AddressSpaceText {
    # "TYPE:address;cost" from an address space object (Type, Address, Cost) or from the string a deserialized
    # connector carries instead.
    [CmdletBinding()]
    param([Parameter(Mandatory)] $AddressSpace)

    $address = Get-PropertyOrNull $AddressSpace 'Address'
    if ($null -eq $address) {
        return [string]$AddressSpace
    }
    '{0}:{1};{2}' -f (Get-PropertyOrNull $AddressSpace 'Type'), $address, (Get-PropertyOrNull $AddressSpace 'Cost')
}

function Remove-ServerFromForcedTlsConnector {
    # Uninstall: this server leaves the connector with Set-SendConnector's remove form (@{Remove=...}), so a server
    # added meanwhile stays; the connector goes with its last server.
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param(
        [Parameter(Mandatory)] $Setup,
        [Parameter(Mandatory)][string] $Name,
        [switch] $Skip
    )

    if ($Skip -or $Setup.TransportService -eq 'Edge') {
        return
    }
    $connector = Get-ForcedTlsConnector -Name $Name
    if ($null -eq $connector -or -not (Test-ConnectorHasServer -Connector $connector -ServerName $Setup.ServerName)) {
        return
    }
    $remaining = @(Get-ConnectorServerName -Connector $connector | Where-Object { $_ -ne $Setup.ServerName })
    if ($remaining.Count -eq 0) {
        $description = "Remove send connector '$Name' (its last source server was $($Setup.ServerName))"
        if ($PSCmdlet.ShouldProcess($description, 'Remove send connector')) {
            Remove-SendConnector -Identity $Name -Confirm:$false
        }
        return $description
    }
    $description = "Remove $($Setup.ServerName) from the source servers of send connector '$Name'"
    if ($PSCmdlet.ShouldProcess($description, 'Update send connector')) {
        Set-SendConnector -Identity $Name -SourceTransportServers @{ Remove = $Setup.ServerName }
    }
    $description
}

function Get-ForcedTlsConnector {
    [CmdletBinding()]
    param([Parameter(Mandatory)][string] $Name)

    # Listing and filtering avoids Get-SendConnector's error for a missing identity.
    @(Get-SendConnector | Where-Object { [string](Get-PropertyOrNull $_ 'Name') -eq $Name -or [string](Get-PropertyOrNull $_ 'Identity') -eq $Name }) | Select-Object -First 1
}

function Get-ConnectorServerName {
    [CmdletBinding()]
    param($Connector)

    if ($null -eq $Connector) {
        return
    }
    foreach ($server in @(Get-PropertyOrNull $Connector 'SourceTransportServers' | Where-Object { $null -ne $_ })) {
        # ADObjectId on a server, a string in a deserialized object: both have a name.
        $name = Get-PropertyOrNull $server 'Name'
        if (-not $name) {
            $name = [string]$server
        }
        $name
    }
}

function Test-ConnectorHasServer {
    [CmdletBinding()]
    param(
        $Connector,
        [Parameter(Mandatory)][string] $ServerName
    )

    @(Get-ConnectorServerName -Connector $Connector) -contains $ServerName
}
