import { UnknownNumberPolicy } from '@app/domain';
import { ArrayMaxSize, IsArray, IsBoolean, IsEnum, IsInt, IsOptional, Max, Min, ValidateIf } from 'class-validator';

export class UpdateAccountSettingsDto {
  @IsOptional()
  @ValidateIf((_dto, value) => value !== null)
  @IsInt()
  @Min(1)
  defaultResponsibleUserId?: number | null;

  @IsOptional()
  @IsEnum(UnknownNumberPolicy)
  unknownNumberPolicy?: UnknownNumberPolicy;

  @IsOptional()
  @ValidateIf((_dto, value) => value !== null)
  @IsInt()
  @Min(0)
  @Max(10080)
  missedCallTaskDelayMinutes?: number | null;

  @IsOptional()
  @IsBoolean()
  recordingEnabled?: boolean;

  /** Kommo pipeline id for incoming leads of unknown callers; null = the main pipeline. */
  @IsOptional()
  @ValidateIf((_dto, value) => value !== null)
  @IsInt()
  @Min(1)
  incomingLeadPipelineId?: number | null;

  /** Ring the caller's responsible manager first (Twilio Voice URL). */
  @IsOptional()
  @IsBoolean()
  smartForwardingEnabled?: boolean;

  /** Kommo user ids rung when smart forwarding finds nobody; [] = every active mapped manager. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsInt({ each: true })
  @Min(1, { each: true })
  defaultRingGroup?: number[];

  @IsOptional()
  @IsInt()
  @Min(5)
  @Max(120)
  ringSeconds?: number;

  /** Also Kommo's own call notification (POST /api/v2/events) on ringing. */
  @IsOptional()
  @IsBoolean()
  kommoCallNotifications?: boolean;

  @IsOptional()
  @IsBoolean()
  openLeadOnAnswer?: boolean;

  @IsOptional()
  @IsBoolean()
  callResultModal?: boolean;

  @IsOptional()
  @IsBoolean()
  autoRedial?: boolean;
}
