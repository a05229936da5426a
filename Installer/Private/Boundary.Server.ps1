# Boundary (the tests replace these): this server, its user and its Exchange PowerShell.

function Test-IsAdministrator {
    $principal = New-Object System.Security.Principal.WindowsPrincipal -ArgumentList ([System.Security.Principal.WindowsIdentity]::GetCurrent())
    $principal.IsInRole([System.Security.Principal.WindowsBuiltInRole]::Administrator)
}

function Test-ExchangeManagementLoaded {
    [bool](Get-Command -Name Get-TransportAgent -ErrorAction SilentlyContinue)
}

function Get-DotNetFrameworkRelease {
    $key = Get-ItemProperty -LiteralPath 'HKLM:\SOFTWARE\Microsoft\NET Framework Setup\NDP\v4\Full' -Name Release -ErrorAction SilentlyContinue
    if ($null -eq $key) {
        return 0
    }
    [int]$key.Release
}

function Get-LocalServerName {
    $env:COMPUTERNAME
}

function Get-LocalServerFqdn {
    [System.Net.Dns]::GetHostEntry([string]$env:COMPUTERNAME).HostName
}

function Connect-ExchangeEndpoint {
    # Microsoft's remote PowerShell to an Exchange server, here this server itself; the commands are imported for
    # the whole session so that this module's calls reach them.
    param(
        [Parameter(Mandatory)][string] $ServerFqdn,
        [pscredential] $Credential
    )

    $parameters = @{ ConfigurationName = $script:ExchangeConfigurationName; ConnectionUri = "http://$ServerFqdn/PowerShell/"; Authentication = 'Kerberos' }
    if ($Credential) {
        $parameters['Credential'] = $Credential
    }
    $session = New-PSSession @parameters
    $null = Import-Module (Import-PSSession -Session $session -DisableNameChecking -AllowClobber) -Global -DisableNameChecking
}

function Get-CurrentUserName {
    # DOMAIN\user, which Get-ManagementRoleAssignment -RoleAssignee accepts.
    [System.Security.Principal.WindowsIdentity]::GetCurrent().Name
}

function Test-ExchangeCommandAvailable {
    param([Parameter(Mandatory)][string] $Name)

    [bool](Get-Command -Name $Name -ErrorAction SilentlyContinue)
}

function Get-ExchangeShellServer {
    # The server the Exchange cmdlets run on when they come from a remote session (the Exchange Management Shell
    # of 2013 and later connects to a server's /PowerShell endpoint, configuration Microsoft.Exchange); $null when
    # they run in this process (the Edge Transport server's shell, or the local snap-in).
    $command = Get-Command -Name Get-TransportAgent -ErrorAction SilentlyContinue
    if ($null -eq $command -or $command.CommandType -ne 'Function') {
        return $null
    }
    $session = @(Get-PSSession | Where-Object { $_.ConfigurationName -eq 'Microsoft.Exchange' -and $_.State -eq 'Opened' }) | Select-Object -First 1
    if ($null -eq $session) {
        return $null
    }
    $session.ComputerName
}

function Test-IsLocalServer {
    param([Parameter(Mandatory)][string] $Name)

    $shortName = ($Name -split '\.')[0]
    $shortName -eq (Get-LocalServerName) -or $Name -eq 'localhost' -or $Name -eq '.'
}

function Get-TransportServiceAccount {
    # The account EdgeTransport.exe runs as: NETWORK SERVICE unless someone changed it.
    $service = Get-CimInstance -ClassName Win32_Service -Filter "Name='$script:TransportServiceName'" -ErrorAction SilentlyContinue
    if ($null -eq $service -or -not $service.StartName) {
        return 'NT AUTHORITY\NETWORK SERVICE'
    }
    switch ($service.StartName) {
        'NT AUTHORITY\NetworkService' { return 'NT AUTHORITY\NETWORK SERVICE' }
        'LocalSystem' { return 'NT AUTHORITY\SYSTEM' }
    }
    $service.StartName
}

function Get-TransportServiceState {
    $service = Get-Service -Name $script:TransportServiceName -ErrorAction SilentlyContinue
    if ($null -eq $service) {
        return 'NotInstalled'
    }
    [string]$service.Status
}
