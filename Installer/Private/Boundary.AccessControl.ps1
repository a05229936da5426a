# Boundary (the tests replace these): accounts and access control lists.

function Get-WellKnownAccountSid {
    # Service accounts by SID: their names are translated on localised Windows (NT-AUTORITAET\NETZWERKDIENST).
    param([Parameter(Mandatory)][string] $Account)

    switch ($Account) {
        'NT AUTHORITY\NETWORK SERVICE' { return 'S-1-5-20' }
        'NT AUTHORITY\NetworkService' { return 'S-1-5-20' }
        'NT AUTHORITY\SYSTEM' { return 'S-1-5-18' }
        'LocalSystem' { return 'S-1-5-18' }
    }
    $null
}

function ConvertTo-AccountIdentity {
    param([Parameter(Mandatory)][string] $Account)

    $sid = Get-WellKnownAccountSid -Account $Account
    if ($sid) {
        return New-Object System.Security.Principal.SecurityIdentifier -ArgumentList $sid
    }
    New-Object System.Security.Principal.NTAccount -ArgumentList $Account
}

function New-AgentAccessRule {
    param(
        [Parameter(Mandatory)][string] $Account,
        [Parameter(Mandatory)][ValidateSet('Read', 'Modify')][string] $Rights,
        [switch] $IsFolder
    )

    $inheritance = [System.Security.AccessControl.InheritanceFlags]::None
    if ($IsFolder) {
        $inheritance = [System.Security.AccessControl.InheritanceFlags]'ContainerInherit, ObjectInherit'
    }
    $systemRights = [System.Security.AccessControl.FileSystemRights]::Read
    if ($Rights -eq 'Modify') {
        $systemRights = [System.Security.AccessControl.FileSystemRights]::Modify
    }
    New-Object System.Security.AccessControl.FileSystemAccessRule -ArgumentList @(
        (ConvertTo-AccountIdentity -Account $Account),
        $systemRights,
        $inheritance,
        [System.Security.AccessControl.PropagationFlags]::None,
        [System.Security.AccessControl.AccessControlType]::Allow)
}

function Test-AccessGranted {
    # True when the account already has the rights there, explicitly or inherited (an existing grant is not repeated).
    param(
        [Parameter(Mandatory)][string] $Path,
        [Parameter(Mandatory)][string] $Account,
        [Parameter(Mandatory)][string] $Rights
    )

    if (-not (Test-Path -LiteralPath $Path)) {
        return $false
    }
    $sid = (ConvertTo-AccountIdentity -Account $Account).Translate([System.Security.Principal.SecurityIdentifier])
    $wanted = [int](New-AgentAccessRule -Account $Account -Rights $Rights).FileSystemRights
    $rules = (Get-Acl -LiteralPath $Path).GetAccessRules($true, $true, [System.Security.Principal.SecurityIdentifier])
    foreach ($rule in $rules) {
        if ($rule.IdentityReference -eq $sid -and $rule.AccessControlType -eq 'Allow' -and (([int]$rule.FileSystemRights -band $wanted) -eq $wanted)) {
            return $true
        }
    }
    $false
}

function Test-AccessRulePresent {
    # True when the exact explicit rule Install adds is there (what Uninstall may take back).
    param(
        [Parameter(Mandatory)][string] $Path,
        [Parameter(Mandatory)][string] $Account,
        [Parameter(Mandatory)][string] $Rights,
        [switch] $IsFolder
    )

    $wanted = New-AgentAccessRule -Account $Account -Rights $Rights -IsFolder:$IsFolder
    $sid = $wanted.IdentityReference.Translate([System.Security.Principal.SecurityIdentifier])
    foreach ($rule in (Get-Acl -LiteralPath $Path).GetAccessRules($true, $false, [System.Security.Principal.SecurityIdentifier])) {
        if ($rule.IdentityReference -eq $sid -and $rule.FileSystemRights -eq $wanted.FileSystemRights -and $rule.InheritanceFlags -eq $wanted.InheritanceFlags) {
            return $true
        }
    }
    $false
}

function Get-AccountSid {
    param([Parameter(Mandatory)][string] $Account)

    $sid = Get-WellKnownAccountSid -Account $Account
    if ($sid) {
        return $sid
    }
    (New-Object System.Security.Principal.NTAccount -ArgumentList $Account).Translate([System.Security.Principal.SecurityIdentifier]).Value
}

function New-ProtectedAccessRule {
    param([Parameter(Mandatory)] $Rule)

    New-Object System.Security.AccessControl.FileSystemAccessRule -ArgumentList @(
        (New-Object System.Security.Principal.SecurityIdentifier -ArgumentList $Rule.Sid),
        [System.Security.AccessControl.FileSystemRights]$Rule.Rights,
        [System.Security.AccessControl.InheritanceFlags]'ContainerInherit, ObjectInherit',
        [System.Security.AccessControl.PropagationFlags]::None,
        [System.Security.AccessControl.AccessControlType]::Allow)
}

function Test-ProtectedAcl {
    # True when the folder inherits nothing and its explicit rules are exactly these.
    param(
        [Parameter(Mandatory)][string] $Path,
        [Parameter(Mandatory)][object[]] $Rule
    )

    $acl = Get-Acl -LiteralPath $Path
    if (-not $acl.AreAccessRulesProtected) {
        return $false
    }
    $present = @($acl.GetAccessRules($true, $true, [System.Security.Principal.SecurityIdentifier]) |
        ForEach-Object { "$($_.IdentityReference.Value)|$([int]$_.FileSystemRights)|$($_.InheritanceFlags)|$($_.AccessControlType)" } | Sort-Object)
    $wanted = @($Rule | ForEach-Object { New-ProtectedAccessRule -Rule $_ } |
        ForEach-Object { "$($_.IdentityReference.Value)|$([int]$_.FileSystemRights)|$($_.InheritanceFlags)|$($_.AccessControlType)" } | Sort-Object)
    ($present -join ';') -eq ($wanted -join ';')
}

function Set-ProtectedAcl {
    # Inheritance off (inherited entries dropped, not copied), every explicit entry replaced by $Rule.
    param(
        [Parameter(Mandatory)][string] $Path,
        [Parameter(Mandatory)][object[]] $Rule
    )

    $acl = Get-Acl -LiteralPath $Path
    $acl.SetAccessRuleProtection($true, $false)
    foreach ($existing in @($acl.GetAccessRules($true, $false, [System.Security.Principal.SecurityIdentifier]))) {
        $null = $acl.RemoveAccessRuleSpecific($existing)
    }
    foreach ($item in $Rule) {
        $acl.AddAccessRule((New-ProtectedAccessRule -Rule $item))
    }
    Set-Acl -LiteralPath $Path -AclObject $acl
}

function Grant-Access {
    param(
        [Parameter(Mandatory)][string] $Path,
        [Parameter(Mandatory)][string] $Account,
        [Parameter(Mandatory)][string] $Rights,
        [switch] $IsFolder
    )

    $acl = Get-Acl -LiteralPath $Path
    $acl.AddAccessRule((New-AgentAccessRule -Account $Account -Rights $Rights -IsFolder:$IsFolder))
    Set-Acl -LiteralPath $Path -AclObject $acl
}

function Revoke-Access {
    param(
        [Parameter(Mandatory)][string] $Path,
        [Parameter(Mandatory)][string] $Account,
        [Parameter(Mandatory)][string] $Rights,
        [switch] $IsFolder
    )

    $acl = Get-Acl -LiteralPath $Path
    $null = $acl.RemoveAccessRuleSpecific((New-AgentAccessRule -Account $Account -Rights $Rights -IsFolder:$IsFolder))
    Set-Acl -LiteralPath $Path -AclObject $acl
}
