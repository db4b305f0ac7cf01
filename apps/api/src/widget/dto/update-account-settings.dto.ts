import { UnknownNumberPolicy } from '@app/domain';
import { IsBoolean, IsEnum, IsInt, IsOptional, Max, Min, ValidateIf } from 'class-validator';

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
}
